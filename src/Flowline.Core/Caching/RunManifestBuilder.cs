namespace Flowline.Caching;

/// <summary>
/// Makes the <see cref="RunManifest"/> of a run in which every step was up to date (issue 14), after the run, from its
/// plan: each step's sources matched again, with the folders listed and the paths found missing, then looked at. Any
/// of them changed after the run began (less the racy margin) means the manifest could hold a state the run
/// did not see, so there is none.
/// </summary>
internal static class RunManifestBuilder
{
    // Conditions that read the clock or draw a number may decide otherwise next time with nothing else changed.
    private static readonly string[] UnsteadyFunctions = ["now", "date", "time", "timestamp", "random"];

    /// <summary>The manifest of the run, or null with the reason there is none.</summary>
    /// <param name="plan">The plan the run executed.</param>
    /// <param name="result">Its result.</param>
    /// <param name="callKey">What the command line and environment were, the values of the workflow's secrets included.</param>
    /// <param name="since">When the run began (before the workflow was read).</param>
    /// <param name="whyNot">Why there is no manifest (for tests and the docs' list).</param>
    public static RunManifest? TryBuild(WorkflowPlan plan, WorkflowResult result, string callKey, DateTimeOffset since, out string whyNot)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(result);
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

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        using var handle = FileStat.OpenFolder(folder);
        var watch = new CacheWatch();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var outputs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            foreach (var glob in step.Step.Cache!.Sources)
            {
                if (!string.IsNullOrWhiteSpace(glob) && !CacheSources.Expand(folder, glob, files, handle, watch))
                {
                    // Its warning is printed on every full run; a run from the manifest would leave it out.
                    whyNot = $"cache.sources '{glob}' of step '{step.Id}' matches no file";
                    return null;
                }
            }

            outputs.UnionWith(step.Step.Cache.Outputs);
        }

        if (watch.Incomplete)
        {
            whyNot = "a source glob has a '.' or '..' segment";
            return null;
        }

        var latest = since.UtcTicks - FileHashes.RacyTicks;
        var entries = new List<ManifestEntry>(files.Count + watch.Folders.Count + watch.Missing.Count + outputs.Count);
        foreach (var full in files.Values)
        {
            var relative = Relative(folder, full);
            if (!Look(handle, folder, relative, out var facts) || facts.Type == FileStat.DirectoryType || facts.ModifiedTicks > latest)
            {
                whyNot = $"{relative} changed during the run or just before it";
                return null;
            }

            entries.Add(new ManifestEntry(ManifestEntryKind.File, relative, facts.Size, facts.ModifiedTicks));
        }

        foreach (var listed in watch.Folders.Order(StringComparer.Ordinal))
        {
            var relative = Relative(folder, listed);
            if (!Look(handle, folder, relative, out var facts))
            {
                entries.Add(new ManifestEntry(ManifestEntryKind.Missing, relative, 0, 0));
            }
            else if (facts.Type != FileStat.DirectoryType || facts.ModifiedTicks > latest)
            {
                whyNot = $"{relative} changed during the run or just before it";
                return null;
            }
            else if (GlobWalk.NamesHash(listed) is not { } names || !Look(handle, folder, relative, out var after) || after != facts)
            {
                whyNot = $"{relative} changed while it was listed";
                return null;
            }
            else
            {
                entries.Add(new ManifestEntry(ManifestEntryKind.Folder, relative, unchecked((long)names), facts.ModifiedTicks));
            }
        }

        foreach (var missing in watch.Missing.Order(StringComparer.Ordinal))
        {
            var relative = Relative(folder, missing);
            if (Look(handle, folder, relative, out _))
            {
                whyNot = $"{relative} appeared during the run";
                return null;
            }

            entries.Add(new ManifestEntry(ManifestEntryKind.Missing, relative, 0, 0));
        }

        foreach (var declared in outputs)
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
