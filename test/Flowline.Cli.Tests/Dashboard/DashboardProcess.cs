using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Flowline.Cli.Tests.Dashboard;

/// <summary>
/// <c>flowline serve --port 0</c> as a child process (the built CLI, a real Kestrel on 127.0.0.1), with its workflows
/// folder and state folder in a temp dir; <see cref="Client"/> talks to it as a script would.
/// </summary>
internal sealed class DashboardProcess : IAsyncDisposable
{
    private DashboardProcess(TempDir dir, FlowlineProcess cli, Uri address, string? token)
    {
        Dir = dir;
        Cli = cli;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public TempDir Dir { get; }

    public FlowlineProcess Cli { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string StateDir => Dir.File("state");

    /// <summary>Writes the workflow files, then starts the server over them and waits for its <c>dashboard at URL</c> line.</summary>
    public static async Task<DashboardProcess> StartAsync(IReadOnlyDictionary<string, string> workflows, string? token = null)
    {
        var dir = new TempDir();
        foreach (var (name, text) in workflows)
        {
            dir.Write(name, text);
        }

        string[] args = ["serve", "--port", "0", "--root", dir.Path, "--state-dir", dir.File("state")];
        var cli = FlowlineProcess.StartWith(
            token is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["FLOWLINE_TOKEN"] = token },
            dir.Path,
            args);
        for (var i = 0; i < 600 && !cli.HasExited && !cli.Stdout.Contains("dashboard at ", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        var line = cli.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("dashboard at ", StringComparison.Ordinal));
        Assert.True(line is not null, $"flowline serve did not say where it listens. stdout:\n{cli.Stdout}\nstderr:\n{cli.Stderr}");
        return new DashboardProcess(dir, cli, new Uri(line["dashboard at ".Length..].Trim()), token);
    }

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>A POST as the page sends it (JSON, with the cross-site header); returns the status and the body.</summary>
    public async Task<(int Status, JsonObject Body)> PostAsync(string path, JsonObject? body = null, bool crossSiteHeader = true, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent((body ?? []).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (crossSiteHeader)
        {
            request.Headers.Add("X-Flowline-Request", "1");
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>Reads a server-sent event stream until an <c>end</c> event (or 60 s), as (event, data) pairs, telling <paramref name="onEvent"/> of each as it arrives.</summary>
    public async Task<List<(string Event, JsonObject Data)>> ReadEventsAsync(string path, Action<string, JsonObject>? onEvent = null)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await Client.GetStreamAsync(new Uri(path, UriKind.Relative), bound.Token);
        using var reader = new StreamReader(stream);
        var events = new List<(string, JsonObject)>();
        var name = "";
        while (await reader.ReadLineAsync(bound.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name, JsonNode.Parse(line["data: ".Length..])!.AsObject()));
                onEvent?.Invoke(name, events[^1].Item2);
                if (name == "end")
                {
                    break;
                }
            }
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!Cli.HasExited)
        {
            Cli.Signal(Processes.SigTerm);
            await Cli.WaitForExitAsync();
        }

        Cli.Dispose();
        Dir.Dispose();
    }
}
