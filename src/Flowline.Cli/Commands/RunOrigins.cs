namespace Flowline.Cli.Commands;

/// <summary>
/// What the CLI records as a run's <see cref="ExecutionOptions.Origin"/> (issue 17), one name per way in; the runs
/// list, <c>flowline show</c> and the dashboard show it with the user who started the run.
/// </summary>
internal static class RunOrigins
{
    public const string Run = "cli run";

    public const string Resume = "cli resume";

    public const string Mcp = "mcp";

    public const string Dashboard = "dashboard";

    /// <summary>Not a run's origin: who asks when <c>flowline cancel</c> cancels a run.</summary>
    public const string Cancel = "cli cancel";

    /// <summary>Who asks to cancel a run from here: the way in and this process's user (<c>dashboard (alice)</c>).</summary>
    public static string Requester(string origin) => $"{origin} ({Environment.UserName})";
}
