using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>Finds a recorded run by its id or a unique prefix of it (ULIDs are long; <c>git</c>-style prefixes are enough).</summary>
internal static class RunIds
{
    /// <summary>The run, or null after writing why to stderr (no match, or several).</summary>
    public static async Task<RunRecord?> FindAsync(IRunReader store, string idOrPrefix, CliConsole console, CancellationToken cancellationToken)
    {
        var wanted = idOrPrefix.Trim();
        if (wanted.Length > 0 && await store.GetRunAsync(wanted.ToUpperInvariant(), cancellationToken) is { } exact)
        {
            return exact;
        }

        var runs = await store.ListRunsAsync(new RunQuery { Limit = 0 }, cancellationToken);
        var matches = wanted.Length == 0 ? [] : runs.Where(run => run.Id.StartsWith(wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        switch (matches.Count)
        {
            case 1:
                return matches[0];
            case 0:
                await console.Error.WriteLineAsync($"error: no recorded run has an id starting with '{idOrPrefix}'; `flowline runs` lists the recorded runs.");
                return null;
            default:
                await console.Error.WriteLineAsync($"error: '{idOrPrefix}' is the start of {matches.Count} run ids; give more characters:");
                foreach (var run in matches.Take(10))
                {
                    await console.Error.WriteLineAsync($"  {run.Id}  {run.WorkflowName}  {RunText.Status(run.Status)}");
                }

                return null;
        }
    }
}
