namespace Flowline.Caching;

/// <summary>
/// Makes the <see cref="RunManifest"/> of a run in which every step was up to date (issue 14), after the run, from what
/// its checks looked at (<see cref="CacheWatch"/>): each source file's facts as hashed, each listed folder's names as
/// listed and its time now, each path found missing (still missing), each declared output. Anything changed after the
/// run began, less the racy margin, means the manifest could hold a state the run did not see, so there is none.
/// </summary>
internal static class RunManifestBuilder
{
    // Conditions that read the clock or draw a number may decide otherwise next time with nothing else changed.
    private static readonly string[] UnsteadyFunctions = ["now", "date", "time", "timestamp", "random"];

    /// <summary>The manifest of the run, or null with the reason there is none.</summary>
    /// <param name="plan">The plan the run executed.</param>
    /// <param name="result">Its result.</param>
    /// <param name="watch">What its up-to-date checks looked at (<see cref="ExecutionOptions.CacheWatch"/>).</param>
    /// <param name="callKey">What the command line and environment were, the values of the workflow's secrets included.</param>
    /// <param name="since">When the run began (before the workflow was read).</param>
    /// <param name="whyNot">Why there is no manifest (for tests and the docs' list).</param>
    public static RunManifest? TryBuild(WorkflowPlan plan, WorkflowResult result, CacheWatch watch, string callKey, DateTimeOffset since, out string whyNot)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(watch);
        var workflow = plan.Workflow;
        if (!FileStat.Available || workflow.Source?.Path is not { Length: > 0 } path || !File.Exists(path))
        {
            whyNot = "not a workflow file on Linux";
            return null;
        }

        if (plan.Children.Count > 0)
        {
            whyNot = "it runs child workflows";
            return null;
        }

        if (!result.Success || result.StepResults.Count != plan.Steps.Count || plan.Steps.Count == 0
            || result.StepResults.Values.Any(static step => step.Status != StepStatus.Completed || !step.Cached))
        {
            whyNot = "not every step was up to date";
            return null;
        }

        if (plan.Steps.Any(static step => step.Step.Type == "agent"))
        {
            // Validation reads the agent catalog (a file outside the workflow's sources).
            whyNot = "it has agent steps";
            return null;
        }

        if (plan.Steps.Any(static step => step.Condition?.Expression?.FunctionsUsed.Any(UnsteadyFunctions.Contains) == true))
        {
            whyNot = "a condition reads the clock or draws a random number";
            return null;
        }

        if (watch.Incomplete)
        {
            whyNot = "a source glob has a '.' or '..' segment, or a source is not a regular file";
            return null;
        }

        if (watch.Unmatched)
        {
            // Its warning is printed on every full run; a run from the manifest would leave it out.
            whyNot = "a cache.sources glob matches no file";
            return null;
        }

        // Each file as the run hashed it: any change after that shows in the next check. One written in the racy
        // margin could still change without its time changing.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var latest = since.UtcTicks - FileHashes.RacyTicks;
        var entries = new List<ManifestEntry>(watch.Files.Count + watch.Folders.Count + watch.Missing.Count);
        foreach (var (full, facts) in watch.Files)
        {
            if (facts.Type == FileStat.DirectoryType || facts.ModifiedTicks > latest)
            {
                whyNot = $"{full} changed just before the run";
                return null;
            }

            entries.Add(new ManifestEntry(ManifestEntryKind.File, Relative(folder, full), facts.Size, facts.ModifiedTicks));
        }

        // Each folder with its names as the run listed them, and its time now: a change since the listing moved the
        // time past the run's start, which the racy margin refuses.
        using var handle = FileStat.OpenFolder(folder);
        foreach (var (full, names) in watch.Folders)
        {
            var relative = Relative(folder, full);
            if (!Look(handle, folder, relative, out var facts) || facts.Type != FileStat.DirectoryType || facts.ModifiedTicks > latest)
            {
                whyNot = $"{relative} changed during the run or just before it";
                return null;
            }

            entries.Add(new ManifestEntry(ManifestEntryKind.Folder, relative, unchecked((long)names), facts.ModifiedTicks));
        }

        foreach (var missing in watch.Missing)
        {
            var relative = Relative(folder, missing);
            if (Look(handle, folder, relative, out _))
            {
                whyNot = $"{relative} appeared during the run";
                return null;
            }

            entries.Add(new ManifestEntry(ManifestEntryKind.Missing, relative, 0, 0));
        }

        foreach (var declared in plan.Steps.SelectMany(static step => step.Step.Cache!.Outputs).Distinct(StringComparer.Ordinal))
        {
            entries.Add(new ManifestEntry(ManifestEntryKind.Present, declared, 0, 0));
        }

        whyNot = string.Empty;
        return new RunManifest
        {
            CallKey = callKey,
            EnvironmentNames = workflow.Secrets,
            ContentHash = workflow.Source.ContentHash,
            Folder = folder,
            StepIds = [.. workflow.Steps.Select(static step => step.Id)],
            Entries = entries,
        };
    }

    /// <summary>The facts of <paramref name="path"/> (relative to <paramref name="folder"/> or absolute), looked up from <paramref name="handle"/> when there is one.</summary>
    internal static bool Look(FolderHandle? handle, string folder, string path, out FileFacts facts) =>
        handle is not null ? FileStat.TryGet(handle, path, out facts) : FileStat.TryGet(Path.Combine(folder, path), out facts);

    // A path under the folder as the relative path the handle looks up; any other stays absolute.
    private static string Relative(string folder, string full) =>
        full.Length > folder.Length + 1 && full.StartsWith(folder, StringComparison.Ordinal) && full[folder.Length] == '/'
            ? full[(folder.Length + 1)..]
            : full;
}
