using System.Text;

namespace Flowline.Cli.Tests;

/// <summary>
/// Secrets that never show (issue 13), through the built CLI as a user runs it: after runs that print a secret, fail
/// with it in stderr, time out while printing it and pass it to a downstream step, no byte sequence of a secret is in
/// any file of the state folder, in flowline's stdout or stderr, in the JSON report, or in what logs and show print.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretMaskingTests
{
    private readonly string _token = "tok-" + Guid.NewGuid().ToString("N");
    private readonly string _keyLine1 = "key1-" + Guid.NewGuid().ToString("N");
    private readonly string _keyLine2 = "key2-" + Guid.NewGuid().ToString("N");
    private readonly string _runtime = "rt-" + Guid.NewGuid().ToString("N");

    private string[] SecretPieces => [_token, _keyLine1, _keyLine2, _runtime];

    private string Workflow(TempDir dir) => $$$"""
        name: Secrets
        version: 1.0.0
        secrets: [TOKEN, DEPLOY_KEY]
        steps:
          # Prints the secret on stdout (from its env, and rendered into its args), the two-line key, a named output and JSON.
          - id: print
            name: print
            type: script
            config:
              command: sh
              args: ["-c", "echo \"token=$TOKEN\"; echo \"$0\"; printf '%s\\n' \"$DEPLOY_KEY\"; echo \"out=$TOKEN\" >> \"$FLOWLINE_OUTPUT\"", "arg={{ secrets.TOKEN }}"]
              env:
                TOKEN: "{{ secrets.TOKEN }}"
                DEPLOY_KEY: "{{ secrets.DEPLOY_KEY }}"
          # Fails with the secret in stderr (and so in its error's stderr tail).
          - id: fail
            name: fail
            type: script
            continueOnError: true
            config:
              command: sh
              args: ["-c", "echo \"bad token $0\" >&2; exit 3", "{{ secrets.TOKEN }}"]
          # Times out while printing it.
          - id: slow
            name: slow
            type: script
            continueOnError: true
            config:
              command: sh
              timeout: 1s
              args: ["-c", "while true; do echo \"still $0\"; sleep 0.05; done", "{{ secrets.TOKEN }}"]
          # Masks a value of its own at run time.
          - id: runtime
            name: runtime
            type: script
            config:
              command: sh
              args: ["-c", "echo '::add-mask::{{{_runtime}}}'; echo 'made {{{_runtime}}}'; echo {{{_runtime}}}"]
          # Gets the real value through secrets.TOKEN, and the masked outputs of print and runtime through steps.
          - id: downstream
            name: downstream
            type: script
            dependsOn: [print, runtime]
            config:
              command: sh
              args: ["-c", "printf '%s|%s|%s' \"$0\" \"$1\" \"$2\" > '{{{dir.File("downstream.txt")}}}'; echo \"got $0\"", "{{ secrets.TOKEN }}", "{{ steps.print.output.out }}", "{{ steps.runtime.output }}"]
          # References no secret: it must not inherit TOKEN from flowline's own environment.
          - id: bystander
            name: bystander
            type: script
            config:
              command: sh
              args: ["-c", "printf '%s' \"${TOKEN:-unset}\" > '{{{dir.File("bystander.txt")}}}'"]
        """;

    [Fact]
    public async Task No_secret_byte_reaches_the_state_folder_the_report_or_any_output_stream()
    {
        using var dir = new TempDir();
        var flow = dir.Write("flow.yaml", Workflow(dir));
        var secrets = dir.Write("secrets.env", $"# the deploy key has two lines\nDEPLOY_KEY=\"{_keyLine1}\\n{_keyLine2}\"\n");
        File.SetUnixFileMode(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var state = dir.File("state");
        var report = dir.File("report.json");
        var environment = new Dictionary<string, string> { ["TOKEN"] = _token };

        using var run = FlowlineProcess.StartWith(environment, dir.Path, "run", flow, "--secrets-file", secrets, "--state-dir", state, "--report-json", report);
        var exit = await run.WaitForExitAsync();

        Assert.True(exit == 0, $"exit {exit}\n{run.Stdout}\n{run.Stderr}");
        var runId = RunIdOf(run.Stderr);
        var streams = new List<(string Name, string Text)>
        {
            ("run stdout", run.Stdout),
            ("run stderr", run.Stderr),
            ("report", File.ReadAllText(report)),
        };
        foreach (var args in new[] { new[] { "logs", runId }, ["show", runId], ["show", runId, "--json"], ["logs", runId, "slow"] })
        {
            using var cli = FlowlineProcess.StartWith(environment, dir.Path, [.. args, "--state-dir", state]);
            Assert.Equal(0, await cli.WaitForExitAsync());
            streams.Add((string.Join(' ', args) + " stdout", cli.Stdout));
            streams.Add((string.Join(' ', args) + " stderr", cli.Stderr));
        }

        // The masks are there, so the steps did print what they should have.
        var logs = streams.Single(s => s.Name == $"logs {runId} stdout").Text;
        Assert.Contains("token=***", logs, StringComparison.Ordinal);
        Assert.Contains("arg=***", logs, StringComparison.Ordinal);
        Assert.Contains("bad token ***", logs, StringComparison.Ordinal);
        Assert.Contains("still ***", logs, StringComparison.Ordinal);
        Assert.Contains("made ***", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("::add-mask::", logs, StringComparison.Ordinal);
        Assert.Contains("timed out", streams.Single(s => s.Name == "report").Text, StringComparison.Ordinal);

        foreach (var (name, text) in streams)
        {
            AssertHasNoSecret(name, Encoding.UTF8.GetBytes(text));
        }

        var files = Directory.GetFiles(state, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            AssertHasNoSecret(file, File.ReadAllBytes(file));
        }

        // The step that references the secret got its value; the steps' outputs it read are masked; the bystander got nothing.
        Assert.Equal($"{_token}|***|made ***\n***", File.ReadAllText(dir.File("downstream.txt")));
        Assert.Equal("unset", File.ReadAllText(dir.File("bystander.txt")));
    }

    [Fact]
    public async Task A_declared_secret_without_a_value_exits_2_naming_it_before_any_step_starts()
    {
        using var dir = new TempDir();
        var marker = dir.File("ran.txt");
        var flow = dir.Write("flow.yaml", Workflows.Of("Missing", "secrets:\n  - FLOWLINE_TEST_NEVER_SET_A\n  - FLOWLINE_TEST_NEVER_SET_B", Workflows.Sh("a", $"touch {marker}")));

        using var run = FlowlineProcess.StartIn(dir.Path, "run", flow, "--state-dir", dir.File("state"));
        var exit = await run.WaitForExitAsync();

        Assert.Equal(2, exit);
        Assert.Contains("flow.yaml:4:5: error: the secret 'FLOWLINE_TEST_NEVER_SET_A' has no value", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("'FLOWLINE_TEST_NEVER_SET_B'", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
        Assert.False(Directory.Exists(dir.File("state")) && Directory.GetFiles(dir.File("state"), "*.log", SearchOption.AllDirectories).Length > 0);
    }

    [Fact]
    public async Task A_secrets_file_with_bad_lines_exits_2_naming_each_line_but_never_its_text()
    {
        using var dir = new TempDir();
        var flow = dir.Write("flow.yaml", Workflows.Of("Bad", "secrets: [A]", Workflows.Sh("a", "echo {{ secrets.A }}")));
        var secrets = dir.Write("secrets.env", "A=1\nhunter2-no-equals\n9BAD=x\nB=\"open\n");

        var run = await CliRunner.RunAsync("run", flow, "--secrets-file", secrets, "--no-state");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("secrets.env:2:1: error FL1020: Line 2", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("secrets.env:3:1: error FL1020: Line 3", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("secrets.env:4:1: error FL1020: Line 4", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secrets_file_others_can_read_gives_a_warning_and_the_run_goes_on()
    {
        using var dir = new TempDir();
        var flow = dir.Write("flow.yaml", Workflows.Of("Open", "secrets: [A]", Workflows.Sh("a", "test \"$0\" = 'value with spaces'", extra: "").Replace("\"]\n", "\", \"{{ secrets.A }}\"]\n", StringComparison.Ordinal)));
        var secrets = dir.Write("secrets.env", "export A='value with spaces'  # a comment\n");
        File.SetUnixFileMode(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var run = await CliRunner.RunAsync("run", flow, "--secrets-file", secrets, "--no-state", "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("warning FL1021", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("mode 0644", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("chmod 600", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_secrets_file_exits_2_naming_it()
    {
        using var dir = new TempDir();
        var flow = dir.Write("flow.yaml", Workflows.Of("Gone", "secrets: [A]", Workflows.Sh("a", "true")));

        var run = await CliRunner.RunAsync("run", flow, "--secrets-file", dir.File("nope.env"), "--no-state");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.env:1:1: error FL1000: Cannot read secrets file", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_bad_names_duplicates_and_undeclared_references_with_did_you_mean()
    {
        using var dir = new TempDir();
        var flow = dir.Write("flow.yaml", Workflows.Of(
            "Refs",
            "secrets: [NPM_TOKEN, npm-token, NPM_TOKEN]",
            Workflows.Sh("a", "echo {{ secrets.NPM_TOKN }} {{ secrets }}")));

        var run = await CliRunner.RunAsync("validate", flow);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("flow.yaml:3:22: error FL1140: The secret name 'npm-token'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("such as 'NPM_TOKEN'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("flow.yaml:3:33: error FL1141: The secret 'NPM_TOKEN' is declared twice", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("error FL3030: Step 'a' config.args[1] reads 'secrets.NPM_TOKN', but 'NPM_TOKN' is not declared under 'secrets:'. Did you mean 'NPM_TOKEN'?", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("reads 'secrets' as a whole", run.Stderr, StringComparison.Ordinal);
    }

    private void AssertHasNoSecret(string where, byte[] bytes)
    {
        foreach (var piece in SecretPieces)
        {
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(piece)) < 0, $"{where} holds a secret ({piece[..4]}…)");
        }
    }

    private static string RunIdOf(string stderr)
    {
        var line = stderr.Split('\n').First(l => l.StartsWith("run ", StringComparison.Ordinal));
        return line[4..].Trim();
    }
}
