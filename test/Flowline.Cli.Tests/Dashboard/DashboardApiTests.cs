using System.Net;
using System.Text.Json.Nodes;

namespace Flowline.Cli.Tests.Dashboard;

/// <summary>
/// <c>flowline serve</c>'s JSON API (issue 17, docs/dashboard.md) against a real Kestrel on 127.0.0.1, the server
/// being the built CLI in a child process, with runs started through it and by <c>flowline run</c> in another process.
/// </summary>
public sealed class DashboardApiTests
{
    [Fact]
    public async Task A_run_started_by_flowline_run_in_another_process_is_listed_with_its_steps_graph_and_log()
    {
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["greeting.yaml"] = DashboardWorkflows.Greeting });
        using var run = FlowlineProcess.StartIn(server.Dir.Path, "run", "greeting.yaml", "--var", "who=terminal", "--state-dir", server.StateDir);
        Assert.Equal(0, await run.WaitForExitAsync());

        var list = await server.GetJsonAsync("/api/runs?workflow=greeting&status=completed");
        var listed = Assert.Single(list["runs"]!.AsArray())!.AsObject();
        Assert.Equal("greeting", (string?)listed["workflow"]);
        Assert.Equal("greeting.yaml", (string?)listed["file"]);
        Assert.Equal(("cli run", Environment.UserName), ((string?)listed["origin"], (string?)listed["startedBy"]));
        Assert.Empty((await server.GetJsonAsync("/api/runs?status=failed"))["runs"]!.AsArray());

        var runId = (string)listed["runId"]!;
        var detail = await server.GetJsonAsync($"/api/runs/{runId}");
        Assert.Equal("completed", (string?)detail["status"]);
        var steps = detail["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(["build", "report"], steps.Select(s => (string)s["id"]!));
        Assert.All(steps, s => Assert.Equal(0, (int?)s["exitCode"]));
        Assert.Equal("hi", (string?)steps[0]["outputs"]!["word"]);
        var edge = Assert.Single(detail["graph"]!["edges"]!.AsArray())!;
        Assert.Equal(("build", "report", true), ((string)edge["from"]!, (string)edge["to"]!, (bool)edge["implicit"]!));
        Assert.Equal("terminal", (string?)detail["variables"]!["who"]);
        Assert.Contains("greeting", (string?)detail["summary"], StringComparison.Ordinal);

        var log = await server.GetJsonAsync($"/api/runs/{runId}/steps/build/log?tail=5");
        Assert.Contains(log["lines"]!.AsArray(), l => (string?)l!["text"] == "hello terminal x1");
    }

    [Fact]
    public async Task A_run_started_through_the_api_checks_declared_variables_and_streams_its_steps_live()
    {
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["greeting.yaml"] = DashboardWorkflows.Greeting });

        var workflows = await server.GetJsonAsync("/api/workflows");
        var variables = workflows["workflows"]![0]!["variables"]!.AsArray();
        Assert.Equal(["who", "times"], variables.Select(v => (string)v!["name"]!));
        Assert.True((bool)variables[0]!["required"]!);

        var (missing, missingBody) = await server.PostAsync("/api/runs", new JsonObject { ["file"] = "greeting.yaml" });
        Assert.Equal(400, missing);
        Assert.Contains("'who'", missingBody["errors"]![0]!.ToString(), StringComparison.Ordinal);
        var (wrongType, wrongBody) = await server.PostAsync("/api/runs", new JsonObject { ["file"] = "greeting.yaml", ["variables"] = new JsonObject { ["who"] = "x", ["times"] = "many" } });
        Assert.Equal(400, wrongType);
        Assert.Contains("FL113", wrongBody["errors"]![0]!.ToString(), StringComparison.Ordinal);

        var (status, body) = await server.PostAsync("/api/runs", new JsonObject { ["file"] = "greeting.yaml", ["variables"] = new JsonObject { ["who"] = "dashboard", ["times"] = 2 } });
        Assert.Equal(202, status);
        var runId = (string)body["runId"]!;
        Assert.Equal("dashboard", (string?)(await server.GetJsonAsync($"/api/runs/{runId}"))["origin"]);

        var events = await server.ReadEventsAsync($"/api/runs/{runId}/events");
        Assert.Equal("end", events[^1].Event);
        Assert.Equal("completed", (string?)events[^1].Data["status"]);
        var report = events.Where(e => e.Event == "step" && (string?)e.Data["id"] == "report").Select(e => (string)e.Data["status"]!).ToList();
        Assert.Equal("completed", report[^1]);
        Assert.Contains(events, e => e.Event == "run");

        var log = await server.GetJsonAsync($"/api/runs/{runId}/steps/build/log");
        Assert.Contains(log["lines"]!.AsArray(), l => (string?)l!["text"] == "hello dashboard x2");
        var follow = await server.ReadEventsAsync($"/api/runs/{runId}/steps/report/log?follow=true");
        Assert.Contains(follow, e => e.Event == "line" && (string?)e.Data["text"] == "built: hi");
    }

    [Fact]
    public async Task Live_events_show_a_step_running_then_completed_and_the_run_list_follows()
    {
        using var gateDir = new TempDir();
        var gate = gateDir.File("open");
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["gated.yaml"] = DashboardWorkflows.Gated(gate) });
        var (status, body) = await server.PostAsync("/api/runs", new JsonObject { ["file"] = "gated.yaml", ["variables"] = new JsonObject { ["who"] = "api" } });
        Assert.Equal(202, status);
        var runId = (string)body["runId"]!;

        var list = await server.GetJsonAsync("/api/runs?status=running");
        Assert.Equal(runId, (string?)Assert.Single(list["runs"]!.AsArray())!["runId"]);

        // The gate opens once the stream has shown the step running, so the test sees both changes arrive live.
        var events = await server.ReadEventsAsync($"/api/runs/{runId}/events", (name, data) =>
        {
            if (name == "step" && (string?)data["id"] == "wait" && (string?)data["status"] == "running")
            {
                File.WriteAllText(gate, "");
            }
        });
        var wait = events.Where(e => e.Event == "step" && (string?)e.Data["id"] == "wait").Select(e => (string)e.Data["status"]!).ToList();
        Assert.Equal(["running", "completed"], wait.Where(s => s != "pending").Distinct());
        Assert.Equal("completed", wait[^1]);
        Assert.Equal("completed", (string?)events[^1].Data["status"]);
    }

    [Fact]
    public async Task Cancel_stops_a_run_started_here_and_its_process_tree()
    {
        using var pidDir = new TempDir();
        var pids = pidDir.File("pids");
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["long.yaml"] = DashboardWorkflows.Long(pids) });
        var (status, body) = await server.PostAsync("/api/runs", new JsonObject { ["file"] = "long.yaml" });
        Assert.Equal(202, status);
        await Processes.WaitForFileAsync(pids, server.Cli);
        var shell = Processes.ReadPid(pids);
        var child = Processes.ReadPid(pids + ".child");
        Assert.True(Processes.IsAlive(child));

        var (cancelled, _) = await server.PostAsync($"/api/runs/{body["runId"]}/cancel");
        Assert.Equal(200, cancelled);
        Assert.True(await Processes.WaitUntilGoneAsync(shell), $"the step's shell {shell} outlived the cancel");
        Assert.True(await Processes.WaitUntilGoneAsync(child), $"the step's child {child} outlived the cancel");
        Assert.Equal("cancelled", (string?)(await server.GetJsonAsync($"/api/runs/{body["runId"]}"))["status"]);

        var (again, againBody) = await server.PostAsync($"/api/runs/{body["runId"]}/cancel");
        Assert.Equal(409, again);
        Assert.Contains("is not running (it is cancelled)", againBody["errors"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_stops_a_run_that_flowline_run_in_another_terminal_records_and_its_process_tree()
    {
        // The cross-process path (issue 17): the dashboard records a cancel request in the store; the other process's
        // engine sees it and stops as on Ctrl+C. With a token, as a dashboard reachable from elsewhere runs.
        using var pidDir = new TempDir();
        var pids = pidDir.File("pids");
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["long.yaml"] = DashboardWorkflows.Long(pids) }, token: "cancel-token");
        using var terminal = FlowlineProcess.StartIn(server.Dir.Path, "run", "long.yaml", "--state-dir", server.StateDir);
        await Processes.WaitForFileAsync(pids, terminal);
        var shell = Processes.ReadPid(pids);
        var child = Processes.ReadPid(pids + ".child");
        var runId = (string)(await server.GetJsonAsync("/api/runs?status=running"))["runs"]![0]!["runId"]!;

        var (refused, _) = await server.PostAsync($"/api/runs/{runId}/cancel", crossSiteHeader: false);
        Assert.Equal(403, refused);
        Assert.True(Processes.IsAlive(child), "a refused cancel stopped nothing");
        using (var anonymous = new HttpClient { BaseAddress = server.Address })
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/runs/{runId}/cancel", UriKind.Relative)))
        {
            request.Headers.Add("X-Flowline-Request", "1");
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(request)).StatusCode);
        }

        var (status, body) = await server.PostAsync($"/api/runs/{runId}/cancel");
        Assert.Equal(200, status);
        Assert.Equal(runId, (string?)body["runId"]);
        Assert.True(await Processes.WaitUntilGoneAsync(shell), $"the step's shell {shell} outlived the cancel");
        Assert.True(await Processes.WaitUntilGoneAsync(child), $"the step's child {child} outlived the cancel");
        Assert.Equal(1, await terminal.WaitForExitAsync());
        var run = await server.GetJsonAsync($"/api/runs/{runId}");
        Assert.Equal("cancelled", (string?)run["status"]);
        Assert.Equal("cancelled", (string?)Assert.Single(run["steps"]!.AsArray())!["status"]);
        Assert.Equal($"workflow cancelled by dashboard ({Environment.UserName})", (string?)run["error"]);
        Assert.Contains($"workflow cancelled by dashboard ({Environment.UserName})", terminal.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_runs_a_failed_run_again_as_a_new_run_keeping_what_completed()
    {
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["failing.yaml"] = DashboardWorkflows.Failing });
        var (_, started) = await server.PostAsync("/api/runs", new JsonObject { ["file"] = "failing.yaml" });
        var first = (string)started["runId"]!;
        Assert.Equal("failed", (string?)(await server.ReadEventsAsync($"/api/runs/{first}/events"))[^1].Data["status"]);

        var (status, resumed) = await server.PostAsync($"/api/runs/{first}/resume");
        Assert.Equal(202, status);
        var second = (string)resumed["runId"]!;
        Assert.NotEqual(first, second);
        await server.ReadEventsAsync($"/api/runs/{second}/events");
        var detail = await server.GetJsonAsync($"/api/runs/{second}");
        Assert.Equal(first, (string?)detail["resumedFrom"]);
    }

    [Fact]
    public async Task Actions_refuse_cross_site_requests_files_outside_the_root_and_unknown_runs()
    {
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["failing.yaml"] = DashboardWorkflows.Failing });
        var file = new JsonObject { ["file"] = "failing.yaml" };

        var (noHeader, noHeaderBody) = await server.PostAsync("/api/runs", file, crossSiteHeader: false);
        Assert.Equal(403, noHeader);
        Assert.Contains("X-Flowline-Request", noHeaderBody["errors"]![0]!.ToString(), StringComparison.Ordinal);
        var (foreign, foreignBody) = await server.PostAsync("/api/runs", file, origin: "https://evil.example");
        Assert.Equal(403, foreign);
        Assert.Contains("evil.example", foreignBody["errors"]![0]!.ToString(), StringComparison.Ordinal);
        Assert.Empty((await server.GetJsonAsync("/api/runs"))["runs"]!.AsArray());

        var (outside, outsideBody) = await server.PostAsync("/api/runs", new JsonObject { ["file"] = "../elsewhere.yaml" });
        Assert.Equal(400, outside);
        Assert.Contains("only runs files under", outsideBody["errors"]![0]!.ToString(), StringComparison.Ordinal);
        var (unknown, _) = await server.PostAsync("/api/runs/NOSUCHRUN/cancel");
        Assert.Equal(404, unknown);
        var (badStatus, _) = await server.PostAsync("/api/runs", new JsonObject { ["file"] = "missing.yaml" });
        Assert.Equal(400, badStatus);

        using var filtered = await server.Client.GetAsync(new Uri("/api/runs?status=sideways", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, filtered.StatusCode);
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/runs", UriKind.Relative));
        rebound.Headers.Host = "attacker.example";
        using var refused = await server.Client.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task With_a_token_every_request_needs_it_and_the_page_gets_a_cookie()
    {
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["failing.yaml"] = DashboardWorkflows.Failing }, token: "s3cret-token");
        Assert.Empty((await server.GetJsonAsync("/api/runs"))["runs"]!.AsArray());

        using var anonymous = new HttpClient { BaseAddress = server.Address };
        using var refused = await anonymous.GetAsync(new Uri("/api/runs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/runs", UriKind.Relative));
        wrong.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-tokeN");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong)).StatusCode);

        using var page = await anonymous.GetAsync(new Uri("/?token=s3cret-token", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var cookie = Assert.Single(page.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Serving_beyond_loopback_without_a_token_is_refused()
    {
        var result = await CliRunner.RunAsync("serve", "--host", "0.0.0.0", "--port", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--token or FLOWLINE_TOKEN", result.Stderr, StringComparison.Ordinal);

        var badHost = await CliRunner.RunAsync("serve", "--host", "not-an-address");
        Assert.Equal(2, badHost.ExitCode);
        Assert.Contains("is not an IP address", badHost.Stderr, StringComparison.Ordinal);
        var badPort = await CliRunner.RunAsync("serve", "--port", "70000");
        Assert.Equal(2, badPort.ExitCode);
        Assert.Contains("is not a TCP port", badPort.Stderr, StringComparison.Ordinal);
    }
}
