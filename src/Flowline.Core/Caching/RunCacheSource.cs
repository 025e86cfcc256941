using Flowline.State;

namespace Flowline.Caching;

/// <summary>
/// The up-to-date checks of one recorded run and of every child workflow it runs (issue 14, docs/caching.md): the run's
/// own <see cref="RunCache"/>, and one per child run, each reading the kept hashes of its own folder. After the run the
/// runner hands every check's new hashes to the store and closes their folder handles. Safe from the child runs'
/// threads.
/// </summary>
internal sealed class RunCacheSource(IRunReader store) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<RunCache> _caches = [];

    /// <summary>Keeps <paramref name="cache"/> (the run's own) for <see cref="FreshHashes"/> and <see cref="Dispose"/>.</summary>
    public RunCache Add(RunCache cache)
    {
        lock (_gate)
        {
            _caches.Add(cache);
        }

        return cache;
    }

    /// <summary>The checks of a child workflow of the run that <paramref name="parent"/> checks (<see cref="RunCache.ForChild"/>).</summary>
    /// <param name="parent">The checks of the run the workflow step is in.</param>
    /// <param name="prefix">The workflow step's id and '/'.</param>
    /// <param name="folder">The child file's folder.</param>
    /// <param name="warn">Receives a warning when the kept hashes cannot be read (the child's files are then hashed again).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<RunCache> ForChildAsync(RunCache parent, string prefix, string folder, Action<string> warn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(warn);
        IReadOnlyDictionary<string, FileHash> hashes = EmptyMap<FileHash>.Instance;
        try
        {
            hashes = await store.GetFileHashesAsync(Path.GetFullPath(folder), cancellationToken).ConfigureAwait(false);
        }
        catch (RunStoreException exception)
        {
            warn($"warning: the kept content hashes under {folder} could not be read, so its files are hashed again: {exception.Message}");
        }

        return Add(parent.ForChild(prefix, hashes, folder));
    }

    /// <summary>Whether a step of <paramref name="plan"/>, or of a child workflow it runs, has <c>cache:</c>.</summary>
    public static bool HasCachedSteps(WorkflowPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var step in plan.Steps)
        {
            if (step.Step.Cache is not null)
            {
                return true;
            }
        }

        foreach (var child in plan.Children.Values)
        {
            if (HasCachedSteps(child.Plan))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The content hashes every check computed that later runs may trust.</summary>
    public IReadOnlyList<FileHash> FreshHashes
    {
        get
        {
            lock (_gate)
            {
                return [.. _caches.SelectMany(static cache => cache.FreshHashes)];
            }
        }
    }

    /// <summary>Closes every check's folder handle.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var cache in _caches)
            {
                cache.Dispose();
            }
        }
    }
}
