namespace Flowline.Cli.Tests;

/// <summary>
/// Every workflow in examples/ runs with <c>flowline run</c> on a bare machine (issue #3, "Done when"). An example that
/// needs variables says how to run it in a <c># run: flowline run examples/NAME.yaml --var …</c> line, and this test
/// runs exactly that command, so the instruction cannot go stale.
/// </summary>
public sealed class ExampleRunTests
{
    private const string RunLinePrefix = "# run: flowline ";

    public static TheoryData<string> AllExamples() => new(Examples());

    [Theory]
    [MemberData(nameof(AllExamples))]
    public async Task Every_example_runs_as_its_header_says_and_exits_0(string example)
    {
        using var dir = new TempDir();
        var report = dir.File("report.json");
        var path = Path.Combine(RepoPaths.Examples, example);

        var run = await CliRunner.RunAsync([.. RunArguments(path), "--report-json", report]);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        Assert.Contains("\"status\": \"completed\"", File.ReadAllText(report), StringComparison.Ordinal);
    }

    private static IEnumerable<string> Examples() =>
        Directory.GetFiles(RepoPaths.Examples, "*.yaml", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoPaths.Examples, p).Replace('\\', '/')).Order(StringComparer.Ordinal);

    // "# run: flowline run examples/x.yaml --var a=1" → ["run", "<repo>/examples/x.yaml", "--var", "a=1"]; plain "run FILE" otherwise.
    private static string[] RunArguments(string path)
    {
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(RunLinePrefix, StringComparison.Ordinal));
        if (line is null)
        {
            return ["run", path];
        }

        var words = line[RunLinePrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(words.Length >= 2 && words[0] == "run" && words[1] == "examples/" + Path.GetRelativePath(RepoPaths.Examples, path).Replace('\\', '/'), $"bad run line in {path}: {line}");
        // Other files of examples/ named on the line (a --secrets-file) resolve as they do from the repository root, as CI runs them.
        return ["run", path, .. words[2..].Select(w => w.StartsWith("examples/", StringComparison.Ordinal) ? Path.Combine(RepoPaths.Examples, w["examples/".Length..]) : w)];
    }
}
