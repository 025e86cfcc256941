using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Flowline.Cli.Tests.Mcp;

/// <summary>
/// <c>flowline mcp</c> driven by the MCP SDK's own client over a real stdio pipe to the built CLI (issue 16): the
/// tools are listed, called, and the runs they start are ordinary recorded runs.
/// </summary>
public sealed class McpServerTests : IDisposable
{
    private readonly TempDir _root = new();

    public McpServerTests()
    {
        _root.Write("hello.yaml", Workflows.Of("hello", "description: Says hello twice.",
            Workflows.Sh("greet", "echo hello {{ variables.who }}"),
            Workflows.Sh("again", "echo again; echo oops >&2", ["greet"])));
        _root.Write("broken.yaml", Workflows.Of("broken", "", Workflows.Sh("a", "true", ["missing"])));
        _root.Write("sleepy.yaml", Workflows.Of("sleepy", "", Workflows.Sh("wait", "echo $$ > pid; exec sleep 300")));
        Directory.CreateDirectory(_root.File("nested"));
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_server_lists_its_seven_tools_each_with_a_schema_and_a_description()
    {
        await using var client = await ConnectAsync();

        var tools = await client.ListToolsAsync();

        Assert.Equal(
            ["cancel_run", "get_run", "get_step_log", "list_runs", "list_workflows", "run_workflow", "validate_workflow"],
            tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(tools, tool =>
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            Assert.Equal("object", tool.JsonSchema.GetProperty("type").GetString());
        });
    }

    [Fact]
    public async Task List_and_validate_return_workflows_and_diagnostics_as_data()
    {
        await using var client = await ConnectAsync();

        var listed = Structured(await client.CallToolAsync("list_workflows"));
        var hello = listed.GetProperty("workflows").EnumerateArray().Single(w => w.GetProperty("file").GetString() == "hello.yaml");
        Assert.Equal("hello", hello.GetProperty("name").GetString());
        Assert.Equal("Says hello twice.", hello.GetProperty("description").GetString());
        Assert.Equal(["who"], hello.GetProperty("variables").EnumerateArray().Select(v => v.GetString()));

        var validated = Structured(await client.CallToolAsync("validate_workflow", Args(("file", "broken.yaml"))));
        Assert.False(validated.GetProperty("valid").GetBoolean());
        var diagnostic = validated.GetProperty("diagnostics").EnumerateArray().First();
        Assert.Equal("broken.yaml", diagnostic.GetProperty("file").GetString());
        Assert.True(diagnostic.GetProperty("line").GetInt32() > 0);
        Assert.StartsWith("FL", diagnostic.GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.Contains("missing", diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waited_run_reports_progress_and_is_recorded_like_flowline_run()
    {
        await using var client = await ConnectAsync();
        var progress = new List<ProgressNotificationValue>();

        // A handler for the whole test rather than the SDK's per-call IProgress one, which is removed when the call
        // returns: a notification the client handles after the result would be lost to it. Under a full test run's
        // load the end-of-step notification once never arrived within the 10 s below.
        var token = new ProgressToken("waited-run");
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            if (notification.Params?.Deserialize<ProgressNotificationParams>(McpJsonUtilities.DefaultOptions) is { } update && update.ProgressToken == token)
            {
                lock (progress)
                {
                    progress.Add(update.Progress);
                }
            }

            return ValueTask.CompletedTask;
        });
        var result = await client.CallToolAsync(
            "run_workflow",
            Args(("file", "hello.yaml"), ("variables", new Dictionary<string, object?> { ["who"] = "agent" }), ("wait", true)),
            options: new RequestOptions { ProgressToken = token });

        var run = Structured(result);
        var runId = run.GetProperty("runId").GetString()!;
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(["completed", "completed"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
        // The client hands notifications to the handler on its own schedule, so the last may land just after the result.
        bool Has(string message)
        {
            lock (progress)
            {
                return progress.Any(p => p.Message == message);
            }
        }

        for (var i = 0; i < 200 && !(Has("step greet started") && Has("step again completed")); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(Has("step greet started"), "no progress for the start of step greet");
        Assert.True(Has("step again completed"), "no progress for the end of step again");

        var log = Structured(await client.CallToolAsync("get_step_log", Args(("runId", runId), ("step", "greet"))));
        Assert.Contains(log.GetProperty("lines").EnumerateArray(), l => l.GetProperty("text").GetString() == "hello agent");

        var runs = Structured(await client.CallToolAsync("list_runs"));
        Assert.Contains(runs.GetProperty("runs").EnumerateArray(), r => r.GetProperty("runId").GetString() == runId);

        var history = await CliRunner.RunAsync("runs", "--state-dir", _root.File(".flowline"));
        Assert.Contains(runId, history.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_workflow_returns_the_run_id_at_once_and_get_run_follows_it()
    {
        await using var client = await ConnectAsync();

        var started = Structured(await client.CallToolAsync("run_workflow", Args(("file", "hello.yaml"), ("variables", new Dictionary<string, object?> { ["who"] = "x" }))));
        Assert.Equal("running", started.GetProperty("status").GetString());
        var runId = started.GetProperty("runId").GetString()!;

        JsonElement run;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            run = Structured(await client.CallToolAsync("get_run", Args(("runId", runId))));
        }
        while (run.GetProperty("status").GetString() == "running" && DateTime.UtcNow < deadline);

        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Contains("Workflow: hello", run.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_run_stops_the_run_and_kills_its_processes()
    {
        await using var client = await ConnectAsync();
        var started = Structured(await client.CallToolAsync("run_workflow", Args(("file", "sleepy.yaml"))));
        var runId = started.GetProperty("runId").GetString()!;
        var pidFile = _root.File("pid");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n')) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var pid = Processes.ReadPid(pidFile);
        try
        {
            var cancelled = Structured(await client.CallToolAsync("cancel_run", Args(("runId", runId))));

            Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
            Assert.Equal("mcp", cancelled.GetProperty("origin").GetString());
            Assert.False(Processes.IsAlive(pid), $"the step's process {pid} outlived cancel_run");
        }
        finally
        {
            Processes.KillLeftovers(pid);
        }
    }

    [Theory]
    [InlineData("run_workflow", "../outside.yaml")]
    [InlineData("validate_workflow", "/etc/passwd")]
    [InlineData("validate_workflow", "nested/../../x.yaml")]
    public async Task A_path_escaping_the_root_is_an_error_and_runs_nothing(string tool, string file)
    {
        await using var client = await ConnectAsync();

        var result = await client.CallToolAsync(tool, Args(("file", file)));

        Assert.True(result.IsError);
        Assert.Contains("outside the root", Text(result), StringComparison.Ordinal);
        var runs = Structured(await client.CallToolAsync("list_runs"));
        Assert.Empty(runs.GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public async Task Mistakes_in_calls_are_tool_errors_that_say_how_to_fix_them()
    {
        await using var client = await ConnectAsync();

        var missing = await client.CallToolAsync("run_workflow", Args(("file", "nope.yaml")));
        var invalid = await client.CallToolAsync("run_workflow", Args(("file", "broken.yaml")));
        var unknownRun = await client.CallToolAsync("get_run", Args(("runId", "ZZZZ")));
        var noFile = await client.CallToolAsync("validate_workflow");

        Assert.True(missing.IsError);
        Assert.Contains("list_workflows", Text(missing), StringComparison.Ordinal);
        Assert.True(invalid.IsError);
        Assert.Contains("did not validate", Text(invalid), StringComparison.Ordinal);
        Assert.True(unknownRun.IsError);
        Assert.Contains("list_runs", Text(unknownRun), StringComparison.Ordinal);
        Assert.True(noFile.IsError);
        Assert.Contains("'file' is required", Text(noFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_root_that_is_not_a_folder_is_a_usage_error()
    {
        var run = await CliRunner.RunAsync("mcp", "--root", _root.File("no-such-folder"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a folder", run.Stderr, StringComparison.Ordinal);
    }

    private Task<McpClient> ConnectAsync() =>
        McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "flowline",
            Command = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            Arguments = [Path.Combine(AppContext.BaseDirectory, "flowline.dll"), "mcp", "--root", _root.Path, "--state-dir", _root.File(".flowline")],
            WorkingDirectory = _root.Path,
            EnvironmentVariables = new Dictionary<string, string?> { ["CI"] = "true" },
        }));

    private static Dictionary<string, object?> Args(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.True(result.IsError is null or false, Text(result));
        return Assert.NotNull(result.StructuredContent);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}
