namespace Flowline.Core.Tests.Support;

/// <summary>A workflow file written to a fresh temporary folder and deleted on dispose: the tests read real files.</summary>
internal sealed class TempFile : IDisposable
{
    private readonly string _directory;

    public TempFile(string text, string name = "workflow.yaml")
    {
        _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "flowline-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, name);
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
