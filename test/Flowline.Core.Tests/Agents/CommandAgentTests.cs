using System.Text.Json;
using Flowline.Core.Tests.Agents.Support;
using Microsoft.Extensions.Time.Testing;
using static Flowline.Core.Tests.Agents.Support.AgentHarness;

namespace Flowline.Core.Tests.Agents;

// The agents here are /bin/sh scripts.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CommandAgentTests : IDisposable
{
    private readonly AgentHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private string Script(string name, string body)
    {
        var path = Path.Combine(_harness.WorkingDirectory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task A_command_agent_reads_the_prompt_on_stdin_and_its_stdout_is_the_output()
    {
        var script = Script("agent.sh", """
            prompt=$(cat)
            echo "agent $FLOWLINE_AGENT got: $prompt"
            echo "parameters: $FLOWLINE_AGENT_PARAMETERS"
            echo "a warning" >&2
            """);
        var workflow = Workflow(
            AgentMap(("scripted", Map(("provider", "command"), ("command", script)))),
            Step("ask", "scripted", "Analyze {{ parameters.depth }}", Map(("depth", "full"))));

        var result = await _harness.RunAsync(workflow, "ask");

        Assert.True(result.Success, result.Error);
        Assert.Equal("agent scripted got: Analyze full\nparameters: {\"depth\":\"full\"}", result.Output);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(("agent scripted got: Analyze full", LogStream.Stdout), _harness.Logs);
        Assert.Contains(("a warning", LogStream.Stderr), _harness.Logs);
    }

    [Fact]
    public async Task A_command_agent_gets_the_prompt_as_an_argument_through_the_prompt_template_and_an_empty_stdin()
    {
        var workflow = Workflow(
            AgentMap(("cli", Map(
                ("provider", "command"),
                ("command", "sh"),
                ("args", new List<object?> { "-c", "printf 'arg: %s\\n' \"$1\"; printf 'stdin: [%s]\\n' \"$(cat)\"", "agent", "{{ prompt }}" })))),
            Step("ask", "cli", "Summarize {{ workflow.name }}"));

        var result = await _harness.RunAsync(workflow, "ask");

        Assert.True(result.Success, result.Error);
        Assert.Equal("arg: Summarize agent-tests\nstdin: []", result.Output);
    }

    [Fact]
    public async Task A_command_agent_that_exits_non_zero_fails_the_step_with_its_exit_code_and_error_output()
    {
        var script = Script("broken.sh", "echo 'quota exceeded' >&2\nexit 3");
        var workflow = Workflow(AgentMap(("broken", Map(("provider", "command"), ("command", script)))), Step("ask", "broken", "hi"));

        var result = await _harness.RunAsync(workflow, "ask");

        Assert.False(result.Success);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("exited with code 3: quota exceeded", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_agent_with_json_output_gives_an_object()
    {
        var script = Script("json.sh", "cat >/dev/null\necho '{\"summary\":\"ok\",\"issues\":[]}'");
        var workflow = Workflow(AgentMap(("j", Map(("provider", "command"), ("command", script)))),
            Step("ask", "j", "hi", Map(("outputFormat", "json"))));

        var result = await _harness.RunAsync(workflow, "ask");

        Assert.True(result.Success, result.Error);
        Assert.Equal("ok", Assert.IsType<JsonElement>(result.Output).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task A_command_agent_that_cannot_be_started_fails_with_a_hint()
    {
        var workflow = Workflow(AgentMap(("missing", Map(("provider", "command"), ("command", "flowline-no-such-agent-cli")))), Step("ask", "missing", "hi"));

        var result = await _harness.RunAsync(workflow, "ask");

        Assert.False(result.Success);
        Assert.Contains("could not start: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("'flowline-no-such-agent-cli'", result.Error, StringComparison.Ordinal);
        Assert.Contains("PATH", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_agent_past_its_timeout_is_killed_and_the_step_fails_as_timed_out()
    {
        var script = Script("slow.sh", "echo \"pid $$\"\nexec sleep 300");
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.OnLog = line =>
        {
            if (line.StartsWith("pid ", StringComparison.Ordinal))
            {
                started.TrySetResult(int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        var clock = new FakeTimeProvider();
        var workflow = Workflow(AgentMap(("slow", Map(("provider", "command"), ("command", script)))),
            Step("ask", "slow", "hi", timeout: TimeSpan.FromSeconds(5)));

        var run = _harness.RunAsync(workflow, "ask", clock);
        var pid = await started.Task;
        clock.Advance(TimeSpan.FromSeconds(6));
        var result = await run;

        Assert.False(result.Success);
        Assert.Contains("timed out after 5s", result.Error, StringComparison.Ordinal);
        Assert.False(IsRunning(pid), $"process {pid} is still running");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // A zombie (state Z) has exited; only its parent's bookkeeping remains.
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
