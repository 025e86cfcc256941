using Flowline.Execution.Script;
using Microsoft.Extensions.Time.Testing;

namespace Flowline.Core.Tests.Execution;

public sealed class ScriptStepExecutorTests : IDisposable
{
    private const int HangGuard = 120_000;

    private readonly ScriptTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_succeeds_with_trimmed_stdout_as_output()
    {
        var script = _bed.Script("hello.sh", "echo '  hello  '; echo");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = script });

        Assert.True(result.Success, result.Error);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello", result.Output);
        Assert.Equal("  hello  \n\n", result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Null(result.Error);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_runs_true_found_on_path()
    {
        var result = await _bed.RunAsync(new ScriptStepConfig { Command = "true" });

        Assert.True(result.Success, result.Error);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_passes_arguments_literally_without_a_shell()
    {
        var script = _bed.Script("argv.sh", "printf '%s\\n' \"$@\"");
        string[] args = ["; rm -rf /", "$(whoami)", "`id`", "*", "a b", "'single'", "\"double\"", "$HOME", "x > y", "-n"];

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = script, Args = args });

        Assert.True(result.Success, result.Error);
        Assert.Equal(args, result.Stdout!.TrimEnd('\n').Split('\n'));
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_child_sees_context_environment_over_process_environment()
    {
        var both = "FLOWLINE_TEST_BOTH_" + Guid.NewGuid().ToString("N");
        var processOnly = "FLOWLINE_TEST_PROCESS_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(both, "from-process");
        Environment.SetEnvironmentVariable(processOnly, "inherited");
        try
        {
            var script = _bed.Script("env.sh", $"echo \"$${both}\"; echo \"$${processOnly}\"; echo \"$FLOWLINE_STEP_ONLY\"".Replace("$$", "$", StringComparison.Ordinal));
            var environment = new Dictionary<string, string> { [both] = "from-context", ["FLOWLINE_STEP_ONLY"] = "step value" };

            var result = await _bed.RunAsync(new ScriptStepConfig { Command = script }, environment);

            Assert.True(result.Success, result.Error);
            Assert.Equal("from-context\ninherited\nstep value\n", result.Stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable(both, null);
            Environment.SetEnvironmentVariable(processOnly, null);
        }
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_stdin_is_empty_so_cat_exits_at_once()
    {
        var result = await _bed.RunAsync(new ScriptStepConfig { Command = "cat" });

        Assert.True(result.Success, result.Error);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_runs_in_working_directory_relative_to_workflow_folder()
    {
        Directory.CreateDirectory(_bed.Path("sub"));
        var script = _bed.Script("where.sh", "touch made-here; pwd");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = script, WorkingDirectory = "sub" });

        Assert.True(result.Success, result.Error);
        Assert.True(File.Exists(Path.Combine(_bed.Folder, "sub", "made-here")));
        Assert.EndsWith("/sub", (string)result.Output!, StringComparison.Ordinal);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_fails_clearly_when_working_directory_is_missing()
    {
        var result = await _bed.RunAsync(new ScriptStepConfig { Command = "true", WorkingDirectory = "no/such/dir" });

        Assert.False(result.Success);
        Assert.Contains($"'{_bed.Path("no/such/dir")}' does not exist", result.Error, StringComparison.Ordinal);
        Assert.Null(result.ExitCode);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_fails_clearly_when_command_is_not_on_path()
    {
        var environment = new Dictionary<string, string> { ["PATH"] = "/nonexistent-a:/nonexistent-b" };

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = "no-such-command-xyz" }, environment);

        Assert.False(result.Success);
        Assert.Contains("'no-such-command-xyz'", result.Error, StringComparison.Ordinal);
        Assert.Contains("/nonexistent-a:/nonexistent-b", result.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_resolves_relative_command_path_against_working_directory()
    {
        Directory.CreateDirectory(_bed.Path("tools"));
        _bed.Script("tools/hi.sh", "echo hi");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = "./hi.sh", WorkingDirectory = "tools" });

        Assert.True(result.Success, result.Error);
        Assert.Equal("hi", result.Output);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_fails_clearly_when_script_is_not_executable()
    {
        File.WriteAllText(_bed.Path("plain.sh"), "echo hi\n");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = "./plain.sh" });

        Assert.False(result.Success);
        Assert.Contains("not executable", result.Error, StringComparison.Ordinal);
        Assert.Contains(_bed.Path("plain.sh"), result.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_fails_clearly_when_the_script_interpreter_is_missing()
    {
        var script = _bed.Executable("bad-shebang.sh", "#!/nonexistent/interpreter\necho never\n");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = script });

        Assert.False(result.Success);
        Assert.Equal(
            $"Command '{script}' could not be executed: No such file or directory. If it is a script, check that its '#!' line names an installed interpreter.",
            result.Error);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_reports_exit_code_and_stderr_tail_when_command_fails()
    {
        var script = _bed.Script("fail.sh", "echo early >&2; echo partial; echo 'boom: disk full' >&2; exit 3");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = script });

        Assert.False(result.Success);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"'{script}' exited with code 3", result.Error, StringComparison.Ordinal);
        Assert.Contains("boom: disk full", result.Error, StringComparison.Ordinal);
        Assert.Equal("partial", result.Output);
        Assert.Equal("early\nboom: disk full\n", result.Stderr);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_sends_lines_to_log_with_their_stream()
    {
        var script = _bed.Script("streams.sh", "echo out1; echo err1 >&2; printf 'out2\\r\\nlast-no-newline'");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = script });

        Assert.True(result.Success, result.Error);
        var stdout = _bed.Log.Where(e => e.Stream == LogStream.Stdout).Select(e => e.Line).ToArray();
        var stderr = _bed.Log.Where(e => e.Stream == LogStream.Stderr).Select(e => e.Line).ToArray();
        Assert.Equal(["out1", "out2", "last-no-newline"], stdout);
        Assert.Equal(["err1"], stderr);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_survives_invalid_utf8_output()
    {
        var script = _bed.Script("bytes.sh", "printf '\\377\\376ok\\n'; printf '\\303' >&2");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = script });

        Assert.True(result.Success, result.Error);
        Assert.Equal("\uFFFD\uFFFDok", result.Output);
        Assert.Equal("\uFFFD", result.Stderr);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_bounds_captured_output_of_50_MB_and_logs_all_of_it()
    {
        const long total = 50L * 1024 * 1024;
        var script = _bed.Script("big.sh", $"head -c {total} /dev/zero | tr '\\0' 'x'; echo; echo tail-line");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = script });

        Assert.True(result.Success, result.Error);
        var stdout = result.Stdout!;
        var keptBytes = 1024 * 1024;
        var cut = total + "\ntail-line\n".Length - keptBytes;
        Assert.Contains($"\n[… {cut} bytes cut …]\n", stdout, StringComparison.Ordinal);
        Assert.StartsWith(new string('x', 1000), stdout, StringComparison.Ordinal);
        Assert.EndsWith("x\ntail-line\n", stdout, StringComparison.Ordinal);
        Assert.True(stdout.Length < keptBytes + 100, $"captured {stdout.Length} chars");
        var logged = _bed.Log.Where(e => e.Stream == LogStream.Stdout).Sum(e => (long)e.Line.Length);
        Assert.Equal(total + "tail-line".Length, logged);
        Assert.Equal("tail-line", _bed.Log.Last().Line);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_kills_background_children_on_timeout()
    {
        var script = _bed.Script(
            "hang.sh",
            "sleep 1000 & echo $! > child.pid; echo $$ > main.pid; echo ready; sleep 1000");
        var clock = new FakeTimeProvider();
        var config = new ScriptStepConfig { Command = script, Timeout = TimeSpan.FromSeconds(90) };

        var running = _bed.RunAsync(config, timeProvider: clock);
        await _bed.Ready.Task;
        clock.Advance(TimeSpan.FromSeconds(90));
        var result = await running;

        Assert.False(result.Success);
        Assert.Contains("timed out after 1m30s", result.Error, StringComparison.Ordinal);
        Assert.Equal(true, result.Metadata["timedOut"]);
        Assert.Equal("ready\n", result.Stdout);
        Assert.True(ScriptTestBed.IsGone(_bed.ReadPid("main.pid")), "main process still running");
        Assert.True(ScriptTestBed.IsGone(_bed.ReadPid("child.pid")), "background child still running");
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_kills_process_tree_and_throws_when_cancelled()
    {
        var script = _bed.Script(
            "hang.sh",
            "sleep 1000 & echo $! > child.pid; echo $$ > main.pid; echo ready; sleep 1000");
        using var cancellation = new CancellationTokenSource();

        var running = _bed.RunAsync(new ScriptStepConfig { Command = script }, cancellationToken: cancellation.Token);
        await _bed.Ready.Task;
        await cancellation.CancelAsync();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(cancellation.Token, exception.CancellationToken);
        Assert.True(ScriptTestBed.IsGone(_bed.ReadPid("main.pid")), "main process still running");
        Assert.True(ScriptTestBed.IsGone(_bed.ReadPid("child.pid")), "background child still running");
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_sigkills_processes_that_ignore_sigterm_after_the_grace_period()
    {
        var script = _bed.Script(
            "stubborn.sh",
            "trap '' TERM; sleep 1000 & echo $! > child.pid; echo $$ > main.pid; echo ready; wait; wait; sleep 1000");
        using var cancellation = new CancellationTokenSource();

        var running = _bed.RunAsync(new ScriptStepConfig { Command = script }, cancellationToken: cancellation.Token);
        await _bed.Ready.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.True(ScriptTestBed.IsGone(_bed.ReadPid("main.pid")), "main process still running");
        Assert.True(ScriptTestBed.IsGone(_bed.ReadPid("child.pid")), "background child still running");
        Assert.Contains(_bed.Log, e => e.Stream == LogStream.Info && e.Line.EndsWith("after SIGTERM; sent SIGKILL.", StringComparison.Ordinal));
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_kills_a_background_child_left_running_and_still_succeeds()
    {
        // The child keeps stdout open: without killing the group, reading would never end.
        var script = _bed.Script("leave.sh", "sleep 1000 & echo $! > child.pid; echo done");

        var result = await _bed.RunAsync(new ScriptStepConfig { Command = script });

        Assert.True(result.Success, result.Error);
        Assert.Equal("done", result.Output);
        Assert.True(ScriptTestBed.IsGone(_bed.ReadPid("child.pid")), "background child still running");
        Assert.Contains(
            _bed.Log,
            e => e.Stream == LogStream.Info && e.Line.Contains("Terminated 1 process left running", StringComparison.Ordinal));
        Assert.Equal(1, result.Metadata["leftoverProcessesKilled"]);
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_kills_grandchildren_whose_parent_already_exited_when_cancelled()
    {
        // Process.Kill(entireProcessTree) walks parent links and misses these; the process group does not.
        var script = _bed.Script(
            "orphans.sh",
            "sh -c 'sleep 1000 & echo $! > grandchild.pid'; echo $$ > main.pid; echo ready; sleep 1000");
        using var cancellation = new CancellationTokenSource();

        var running = _bed.RunAsync(new ScriptStepConfig { Command = script }, cancellationToken: cancellation.Token);
        await _bed.Ready.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.True(ScriptTestBed.IsGone(_bed.ReadPid("main.pid")), "main process still running");
        Assert.True(ScriptTestBed.IsGone(_bed.ReadPid("grandchild.pid")), "orphaned grandchild still running");
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_stops_reading_pipes_held_by_a_process_that_left_its_group()
    {
        using var bed = new ScriptTestBed { Options = _bed.Options with { OutputDrainTimeout = TimeSpan.FromMilliseconds(200) } };
        var script = bed.Script(
            "escape.sh",
            // env -i: a process that left the group and cleared its environment (the launcher's marker with it) is
            // the one the launcher cannot find and kill (issue 18), so only the drain timeout ends reading.
            "setsid env -i /bin/sh -c 'echo $$ > escaped.pid; exec sleep 1000' & while [ ! -s escaped.pid ]; do sleep 0.01; done; echo done");
        try
        {
            var result = await bed.RunAsync(new ScriptStepConfig { Command = script });

            Assert.True(result.Success, result.Error);
            Assert.Equal("done", result.Output);
            Assert.Contains(bed.Log, e => e.Stream == LogStream.Info && e.Line.Contains("Stopped reading the output", StringComparison.Ordinal));
        }
        finally
        {
            using var escaped = System.Diagnostics.Process.GetProcessById(bed.ReadPid("escaped.pid"));
            escaped.Kill();
        }
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_steps_running_at_once_each_clean_up_only_their_own_group()
    {
        // Every step leaves a child behind; each run must kill its own and no other run's.
        var script = _bed.Script("one.sh", "sleep 1000 & echo $! > \"child-$1.pid\"; echo \"$1\"");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _bed.RunAsync(new ScriptStepConfig { Command = script, Args = [i.ToString(System.Globalization.CultureInfo.InvariantCulture)] })));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].Success, results[i].Error);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), results[i].Output);
            Assert.Equal(1, results[i].Metadata["leftoverProcessesKilled"]);
            Assert.True(ScriptTestBed.IsGone(_bed.ReadPid($"child-{i}.pid")), $"child of run {i} still running");
        }
    }

    [Fact(Timeout = HangGuard)]
    public async Task Script_step_does_not_start_when_already_cancelled()
    {
        var script = _bed.Script("touch.sh", "touch started");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _bed.RunAsync(new ScriptStepConfig { Command = script }, cancellationToken: new CancellationToken(canceled: true)));
        Assert.False(File.Exists(_bed.Path("started")));
    }

    [Fact]
    public void Script_step_executor_has_type_script()
    {
        Assert.Equal("script", new ScriptStepExecutor().Type);
    }
}
