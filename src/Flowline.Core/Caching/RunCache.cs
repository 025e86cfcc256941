using Flowline.Execution;
using Flowline.State;

namespace Flowline.Caching;

/// <summary>
/// Up-to-date skipping for one run (issue 14, docs/caching.md): decides, right before a step with <c>cache:</c> would
/// start, whether its latest recorded run completed with the same key and left every output in place. Built by the
/// runner only for a recorded run of a workflow with such steps; used on the scheduler's thread only.
/// </summary>
internal sealed class RunCache : IDisposable
{
    private const int MaxReasons = 3;

    private readonly IReadOnlyDictionary<string, StepRecord> _previous;
    private readonly FileHashes _hashes;
    private readonly FolderHandle? _handle;
    private readonly string _folder;
    private readonly bool _forceAll;
    private readonly IReadOnlyCollection<string> _forced;
    private readonly TimeProvider _time;
    private readonly CacheWatch? _watch;

    /// <param name="previous">Each step's latest recorded row with a cache entry (<see cref="IRunReader.GetCachedStepsAsync"/>).</param>
    /// <param name="hashes">The kept content hashes (<see cref="IRunReader.GetFileHashesAsync"/>).</param>
    /// <param name="folder">The workflow's folder: globs and outputs are relative to it.</param>
    /// <param name="options">The run's options: <see cref="ExecutionOptions.Force"/> and <see cref="ExecutionOptions.ForceSteps"/>.</param>
    /// <param name="time">The run's clock.</param>
    public RunCache(IReadOnlyDictionary<string, StepRecord> previous, IReadOnlyDictionary<string, FileHash> hashes, string folder, ExecutionOptions options, TimeProvider time)
        : this(previous, hashes, folder, options.Force, options.ForceSteps, time, options.CacheWatch)
    {
    }

    private RunCache(IReadOnlyDictionary<string, StepRecord> previous, IReadOnlyDictionary<string, FileHash> hashes, string folder, bool forceAll, IReadOnlyCollection<string> forced, TimeProvider time, CacheWatch? watch)
    {
        _previous = previous;
        _folder = Path.GetFullPath(folder);
        _handle = FileStat.OpenFolder(_folder);
        _watch = watch;
        _hashes = new FileHashes(hashes, _handle, time, watch);
        _forceAll = forceAll;
        _forced = forced;
        _time = time;
    }

    /// <summary>
    /// The checks of the child workflow that step <c>prefix</c> (without its '/') runs: its steps' earlier rows are
    /// this run's rows under <paramref name="prefix"/>, its globs start at the child file's <paramref name="folder"/>,
    /// and forcing this run, or the workflow step itself, forces every step of the child.
    /// </summary>
    /// <param name="prefix">The workflow step's id and '/', as the child's steps are recorded (<c>deploy/</c>).</param>
    /// <param name="hashes">The kept content hashes of files under <paramref name="folder"/>.</param>
    /// <param name="folder">The child file's folder.</param>
    public RunCache ForChild(string prefix, IReadOnlyDictionary<string, FileHash> hashes, string folder)
    {
        var previous = new Dictionary<string, StepRecord>(StringComparer.Ordinal);
        foreach (var (id, row) in _previous)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal))
            {
                previous[id[prefix.Length..]] = row;
            }
        }

        var forced = _forced.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).Select(id => id[prefix.Length..]).ToList();
        var forceAll = _forceAll || _forced.Contains(prefix[..^1], StringComparer.Ordinal);
        // A run with child workflows keeps no manifest (RunManifestBuilder), so the child's checks watch nothing.
        return new RunCache(previous, hashes, folder, forceAll, forced, _time, watch: null);
    }

    /// <summary>The content hashes this run computed that later runs may trust; the runner hands them to the store.</summary>
    public IReadOnlyList<FileHash> FreshHashes => _hashes.Fresh;

    /// <summary>Whether the prepared step is up to date; <paramref name="warn"/> receives a warning for each glob that matches nothing.</summary>
    public CacheCheck Check(PlannedStep planned, ITemplateRenderer? renderer, IStepRunState state, Action<string> warn)
    {
        var step = planned.Step;
        var cache = step.Cache!;
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!CacheInputs.TryCollect(planned, renderer, state, inputs, out var error))
        {
            return new CacheCheck(null, null, error);
        }

        var matched = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var glob in cache.Sources)
        {
            if (!string.IsNullOrWhiteSpace(glob) && !CacheSources.Expand(_folder, glob, matched, _handle, _watch))
            {
                _watch?.Unmatched = true;
                warn($"warning: cache.sources '{glob}' of step '{step.Id}' matches no file under {_folder}; check the glob (it is relative to the workflow's folder).");
            }
        }

        var files = new Dictionary<string, string>(matched.Count, StringComparer.Ordinal);
        foreach (var (relative, full) in matched)
        {
            files[relative] = _hashes.HashOf(full, relative);
        }

        var info = new StepCacheInfo
        {
            Key = CacheHash.Combine(inputs, files),
            Reason = string.Empty,
            Inputs = new Dictionary<string, string>(inputs, StringComparer.Ordinal),
            Files = files,
        };
        if (_forceAll || _forced.Contains(step.Id, StringComparer.Ordinal))
        {
            return Runs(info, "ran: forced (--force)");
        }

        if (!_previous.TryGetValue(step.Id, out var previous) || previous.Cache is not { } before)
        {
            return Runs(info, "ran: no earlier run");
        }

        if (previous.Status != StepStatus.Completed)
        {
            return Runs(info, $"ran: its last run ({previous.RunId}) {Reporting.SummaryReport.Name(previous.Status)}");
        }

        if (before.Key != info.Key)
        {
            return Runs(info, "ran: " + Changes(before, info));
        }

        foreach (var declared in cache.Outputs)
        {
            if (!CacheOutputs.Exist(_handle, _folder, declared))
            {
                return Runs(info, $"ran: {declared} is missing");
            }
        }

        var from = before.FromRun ?? previous.RunId;
        var now = _time.GetUtcNow();
        var output = StateValues.FromElement(previous.Output);
        return new CacheCheck(
            new StepResult
            {
                Status = StepStatus.Completed,
                Output = output,
                Stdout = output as string,
                Outputs = previous.Outputs,
                ExitCode = previous.ExitCode,
                StartTime = now,
                EndTime = now,
                Cache = info with { UpToDate = true, FromRun = from, Reason = $"up to date (run {from})" },
            },
            null,
            null);
    }

    /// <summary>Closes the folder handle that source files are looked up from.</summary>
    public void Dispose() => _handle?.Dispose();

    private static CacheCheck Runs(StepCacheInfo info, string reason) => new(null, info with { Reason = reason }, null);

    /// <summary>What differs from the earlier key, a few items at most: <c>args changed</c>, <c>src/app.cs changed</c>, <c>src/new.cs added</c>.</summary>
    private static string Changes(StepCacheInfo before, StepCacheInfo now)
    {
        var changes = new List<string>();
        Compare(before.Inputs, now.Inputs, changes, "changed", "changed");
        Compare(before.Files, now.Files, changes, "added", "removed");
        if (changes.Count == 0)
        {
            return "its key changed";
        }

        var text = string.Join(", ", changes.Take(MaxReasons));
        return changes.Count > MaxReasons ? $"{text} and {changes.Count - MaxReasons} more" : text;
    }

    private static void Compare(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> now, List<string> changes, string added, string removed)
    {
        foreach (var (name, hash) in now)
        {
            if (!before.TryGetValue(name, out var earlier))
            {
                changes.Add($"{name} {added}");
            }
            else if (earlier != hash)
            {
                changes.Add($"{name} changed");
            }
        }

        foreach (var name in before.Keys)
        {
            if (!now.ContainsKey(name))
            {
                changes.Add($"{name} {removed}");
            }
        }
    }
}
