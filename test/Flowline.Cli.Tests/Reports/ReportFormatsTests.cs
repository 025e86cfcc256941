using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Flowline.Cli.Tests.Reports;

/// <summary>
/// <c>--report-junit</c> and <c>--report-markdown</c> through the built CLI (issue 16): the JUnit XML validates
/// against the schema Jenkins uses (TestData/junit-10.xsd) and reads back as suites and cases; the Markdown goes to
/// its file and is appended to <c>GITHUB_STEP_SUMMARY</c>.
/// </summary>
public sealed class ReportFormatsTests
{
    private static string FailingWorkflow(TempDir dir) => dir.Write("ci.yaml", Workflows.Of("ci", "",
        Workflows.Sh("build", "echo built"),
        Workflows.Sh("test", "echo 'line one' >&2; printf 'bad \\033[31m<&>\\n' >&2; exit 4", ["build"]),
        Workflows.Sh("deploy", "echo never", ["test"]),
        Workflows.Sh("docs", "echo docs", extra: "condition: \"false\"")));

    [Fact]
    public async Task The_junit_report_is_valid_against_the_jenkins_schema_with_one_case_per_step()
    {
        using var dir = new TempDir();
        var report = dir.File("junit.xml");

        var run = await CliRunner.RunAsync("run", FailingWorkflow(dir), "--no-state", "--quiet", "--report-junit", report);

        Assert.Equal(1, run.ExitCode);
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "TestData", "junit-10.xsd"));
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        using (var reader = XmlReader.Create(report, settings))
        {
            while (reader.Read())
            {
            }
        }

        Assert.Empty(errors);
        var suite = Assert.Single(XDocument.Load(report).Root!.Elements("testsuite"));
        Assert.Equal(("ci", "4", "1", "2"), ((string)suite.Attribute("name")!, (string)suite.Attribute("tests")!, (string)suite.Attribute("failures")!, (string)suite.Attribute("skipped")!));
        var cases = suite.Elements("testcase").ToDictionary(c => (string)c.Attribute("name")!);
        Assert.Equal(["build", "test", "deploy", "docs"], cases.Keys);
        Assert.Null(cases["build"].Element("failure"));
        var failure = cases["test"].Element("failure")!;
        Assert.Equal("exit code 4", (string)failure.Attribute("type")!);
        Assert.Contains("line one", failure.Value, StringComparison.Ordinal);
        Assert.Contains("bad \uFFFD[31m<&>", failure.Value, StringComparison.Ordinal);
        Assert.NotNull(cases["deploy"].Element("skipped"));
        Assert.NotNull(cases["docs"].Element("skipped"));
        Assert.All(cases.Values, c => Assert.True(double.Parse((string)c.Attribute("time")!, System.Globalization.CultureInfo.InvariantCulture) >= 0));
    }

    [JunitParserFact]
    public async Task A_real_junit_parser_reads_the_report_as_one_suite_with_a_case_per_step()
    {
        using var dir = new TempDir();
        var report = dir.File("junit.xml");
        var run = await CliRunner.RunAsync("run", FailingWorkflow(dir), "--no-state", "--quiet", "--report-junit", report);
        Assert.Equal(1, run.ExitCode);

        // junitparser (what CI report tools in Python use) reads each case's result: failure, skipped or passed.
        const string Script = """
            import sys
            from junitparser import JUnitXml, Failure, Skipped
            xml = JUnitXml.fromfile(sys.argv[1])
            for suite in xml:
                print("suite", suite.name, suite.tests, suite.failures, suite.skipped)
                for case in suite:
                    kinds = [type(r).__name__ for r in case.result]
                    print("case", case.name, ",".join(kinds) or "passed", case.time >= 0)
            """;
        var info = new System.Diagnostics.ProcessStartInfo(JunitParserFactAttribute.Python, ["-c", Script, report]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var python = System.Diagnostics.Process.Start(info)!;
        var output = await python.StandardOutput.ReadToEndAsync();
        var errors = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();

        Assert.True(python.ExitCode == 0, errors);
        Assert.Equal(
            ["suite ci 4 1 2", "case build passed True", "case test Failure True", "case deploy Skipped True", "case docs Skipped True"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_markdown_summary_has_a_table_of_steps_and_the_failures_first_lines()
    {
        using var dir = new TempDir();
        var report = dir.File("summary.md");

        var run = await CliRunner.RunAsync("run", FailingWorkflow(dir), "--no-state", "--quiet", "--report-markdown", report);

        Assert.Equal(1, run.ExitCode);
        var markdown = File.ReadAllText(report);
        Assert.StartsWith("## ❌ ci 1.0.0: failed", markdown, StringComparison.Ordinal);
        Assert.Contains("| Step | Status | Time |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `test` | ❌ failed |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `deploy` | ⏭️ skipped |", markdown, StringComparison.Ordinal);
        Assert.Contains("### Failures", markdown, StringComparison.Ordinal);
        Assert.Contains("line one", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_summary_is_appended_to_github_step_summary_without_any_flag()
    {
        using var dir = new TempDir();
        var summary = dir.Write("step-summary.md", "earlier step\n");
        var file = dir.Write("ok.yaml", Workflows.Of("ok", "", Workflows.Sh("a", "true")));

        using var cli = FlowlineProcess.StartWith(new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary }, dir.Path, "run", file, "--no-state", "--quiet");

        Assert.Equal(0, await cli.WaitForExitAsync());
        var text = File.ReadAllText(summary);
        Assert.StartsWith("earlier step\n## ✅ ok 1.0.0: completed", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--report-junit")]
    [InlineData("--report-markdown")]
    public async Task A_report_path_that_cannot_be_written_is_refused_before_the_run(string option)
    {
        using var dir = new TempDir();
        var file = dir.Write("ok.yaml", Workflows.Of("ok", "", Workflows.Sh("a", "touch ran")));

        var run = await CliRunner.RunAsync("run", file, "--no-state", option, dir.File("missing/report"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"error: {option}", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("ran")));
    }
}
