using Flowline.Server.Api;
using Flowline.Server.Assets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flowline.Server;

/// <summary>
/// <c>flowline serve</c>'s web server (issue 17, docs/dashboard.md): Kestrel with minimal-API routes, built with the
/// slim builder and plain <see cref="RequestDelegate"/> handlers, so nothing needs reflection or generated code and
/// the CLI's Native AOT build serves it unchanged.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IDashboardActions _actions;

    private DashboardServer(WebApplication app, IDashboardActions actions, Uri address)
    {
        _app = app;
        _actions = actions;
        Address = address;
    }

    /// <summary>Where the dashboard listens, with the port the system chose when 0 was asked.</summary>
    public Uri Address { get; }

    public static async Task<DashboardServer> StartAsync(DashboardOptions options, IDashboardActions actions, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            // Not the current folder: an appsettings.json lying there must not reconfigure the dashboard.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Host, options.Port));
        var app = builder.Build();

        var access = new DashboardAccess(options.Token);
        app.Use((context, next) => access.InvokeAsync(context, next));
        app.Use(async (context, next) =>
        {
            if (CrossSiteGuard.Check(context.Request) is { } refusal)
            {
                await DashboardAccess.Refuse(context, StatusCodes.Status403Forbidden, refusal).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        var catalog = new WorkflowCatalog(options.Root);
        var runs = new RunsApi(options, new RunGraph());
        var events = new RunEvents(options, runs);
        var logs = new StepLogApi(options, runs);
        var buttons = new ActionsApi(actions, catalog, runs);

        app.MapGet("/", context => EmbeddedAssets.ServeAsync(context, "index.html"));
        app.MapGet("/runs/{runId}", context => EmbeddedAssets.ServeAsync(context, "index.html"));
        app.MapGet("/assets/{*name}", context => EmbeddedAssets.ServeAsync(context, (string)context.Request.RouteValues["name"]!));
        app.MapGet("/api/workflows", catalog.HandleAsync);
        app.MapGet("/api/runs", runs.ListAsync);
        app.MapGet("/api/runs/events", runs.ListEventsAsync);
        app.MapGet("/api/runs/{runId}", runs.GetAsync);
        app.MapGet("/api/runs/{runId}/events", events.HandleAsync);
        app.MapGet("/api/runs/{runId}/steps/{stepId}/log", logs.HandleAsync);
        app.MapPost("/api/runs", buttons.StartAsync);
        app.MapPost("/api/runs/{runId}/cancel", buttons.CancelAsync);
        app.MapPost("/api/runs/{runId}/resume", buttons.ResumeAsync);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, actions, new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal) + "/"));
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (a signal), then stops the runs it started.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Asked to stop.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _actions.StopAllAsync().ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
