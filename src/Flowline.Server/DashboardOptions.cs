using System.Net;
using Flowline.State;

namespace Flowline.Server;

/// <summary>What one <c>flowline serve</c> serves (issue 17, docs/dashboard.md): where, for whom, from which store.</summary>
internal sealed record DashboardOptions
{
    /// <summary>The address Kestrel listens on; loopback unless a token protects it (<see cref="DashboardAccess.Check"/>).</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>The port; 0 lets the system choose one (the tests do).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>The token every request must carry; null serves without one (loopback only).</summary>
    public string? Token { get; init; }

    /// <summary>The folder whose workflow files the start form lists and may run; nothing outside it is run.</summary>
    public required string Root { get; init; }

    /// <summary>The run store, shared with every <c>flowline run</c> of the same state folder.</summary>
    public required SqliteRunStore Store { get; init; }

    /// <summary>How often the live views look at the store and the log files for changes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The clock the live views wait on.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
