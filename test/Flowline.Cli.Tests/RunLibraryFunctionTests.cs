namespace Flowline.Cli.Tests;

/// <summary>Issue 19's date, path, list and conversion functions, through the built <c>flowline run</c>.</summary>
public sealed class RunLibraryFunctionTests
{
    private static string PrintsEachArgument(TempDir dir, string[] holes, string extra = "") => dir.Write("flow.yaml", Workflows.Of(
        "Library",
        "",
        Workflows.Step("show", "sh", ["-c", "printf '%s\\n' \"$@\" > \"$0\"", dir.File("out.txt"), .. holes], extra: extra)));

    [Fact]
    public async Task Library_functions_render_in_a_step_and_convert_var_values()
    {
        using var dir = new TempDir();
        var flow = PrintsEachArgument(
            dir,
            [
                "{{ fileName(variables.report) }}|{{ fileExt(variables.report) }}|{{ filePath(variables.report) }}",
                "{{ joinPath('out', variables.build, '../latest', 'app.zip') }}",
                "{{ toNumber(variables.count) === 5 }}|{{ toString(variables.build) }}|{{ default(variables.branch, 'main') }}",
                "{{ at(split(variables.tags, ','), -1) }}|{{ slice(variables.tags, 0, 3) }}|{{ first(split(variables.tags, ',')) }}",
                "{{ formatDate(addDays('2026-02-27', 2), 'DD.MM.YYYY') }}",
                "{{ length(date()) }}|{{ length(time()) }}|{{ timestamp() > 1767225600000 }}",
            ],
            extra: "condition: \"toBoolean(variables.enabled) && notEmpty(variables.tags)\"");

        var run = await CliRunner.RunAsync(
            "run", flow, "--var", "report=docs\\reports/summary.md", "--var", "build=7", "--var", "count=5", "--var", "tags=dev,qa,prod", "--var", "enabled=true", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(
            "summary.md|.md|docs/reports\nout/latest/app.zip\ntrue|7|main\nprod|dev|dev\n01.03.2026\n10|8|true\n",
            File.ReadAllText(dir.File("out.txt")));
    }

    [Fact]
    public async Task The_rest_of_the_library_and_the_workflow_fields_render_through_a_run()
    {
        using var dir = new TempDir();
        var flow = PrintsEachArgument(
            dir,
            [
                "{{ addHours('2026-02-28T23:30:00Z', 1) }}|{{ substring(variables.build, 1, 2) }}|{{ last(split(variables.tags, ',')) }}",
                "{{ empty(variables.nothing) }}|{{ empty(variables.tags) }}|{{ add(2, 3) }}|{{ subtract(10, 4) }}|{{ multiply(3, 4) }}",
                "{{ floor(2.7) }}|{{ ceil(2.1) }}|{{ random(3, 3) }}|{{ variables.count * 2 - 1 }}",
                "{{ workflow.currentStepId }}|{{ length(workflow.startTime) }}",
            ]);

        var run = await CliRunner.RunAsync("run", flow, "--var", "build=v123", "--var", "tags=dev,qa,prod", "--var", "count=5", "--var", "nothing=", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(
            "2026-03-01T00:30:00.000Z|12|prod\ntrue|false|5|6|12\n2|3|3|9\nshow|24\n",
            File.ReadAllText(dir.File("out.txt")));
    }

    [Fact]
    public async Task A_conversion_that_cannot_read_its_value_fails_the_step_naming_the_value()
    {
        using var dir = new TempDir();
        var flow = PrintsEachArgument(dir, ["{{ toNumber(variables.count) }}"]);

        var run = await CliRunner.RunAsync("run", flow, "--var", "count=five");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("toNumber() cannot read 'five' as a number", run.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.txt")));
    }
}
