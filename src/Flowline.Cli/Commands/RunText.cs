using System.Globalization;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>How the history commands spell statuses and times.</summary>
internal static class RunText
{
    public static string Status(RunStatus status) => status.ToString().ToLowerInvariant();

    public static string Status(StepStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParseStatus(string text, out RunStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    /// <summary>What started the run and who (<c>cli run (alice)</c>); <c>—</c> for a run recorded before Flowline kept it (issue 17).</summary>
    public static string StartedBy(RunRecord run) => run switch
    {
        { Origin: null } => "—",
        { StartedBy: null } => run.Origin,
        _ => $"{run.Origin} ({run.StartedBy})",
    };

    /// <summary>How long the run took: to its end, or to its last sign of life when it never finished (<see cref="RunHistory.Duration"/>).</summary>
    public static TimeSpan? Duration(RunRecord run, IReadOnlyList<StepRecord> steps) => RunHistory.Duration(run, steps);
}
