namespace Flowline.Core.Tests.Support;

/// <summary>A fresh temporary folder, deleted on dispose, for tests that write several real files beside each other.</summary>
internal sealed class TempFolder : IDisposable
{
    private readonly DirectoryInfo _directory;

    public TempFolder(string prefix) => _directory = Directory.CreateTempSubdirectory(prefix);

    public string Path => _directory.FullName;

    /// <summary>A workflow with one agent step (agent 'reviewer'), for tests of the agents file beside it.</summary>
    public const string AgentWorkflow = """
        name: uses-agents
        version: 1.0.0
        steps:
          - id: review
            name: Review
            type: agent
            config: { agent: reviewer, prompt: "Review the change" }
        """;

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
