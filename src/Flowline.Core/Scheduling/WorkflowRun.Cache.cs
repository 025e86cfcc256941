using Flowline.Execution;

namespace Flowline.Scheduling;

internal sealed partial class WorkflowRun
{
    private StepCacheInfo?[]? _cacheInfos;

    /// <summary>The run's up-to-date checks (issue 14); null when the run is not recorded or no step has <c>cache:</c>. Set before <see cref="RunAsync"/>.</summary>
    public Caching.RunCache? Cache { get; set; }

    /// <summary>Where the checks of this run's child workflows come from (the top-level run's, shared down the tree); null with <see cref="Cache"/>.</summary>
    public Caching.RunCacheSource? CacheSource { get; set; }

    /// <summary>
    /// The one place a step with <c>cache:</c> is decided (docs/caching.md): after binding, so the key holds its rendered
    /// command, arguments and environment, and before it takes a slot or its running row is written. True when the
    /// step was settled here: up to date, with its earlier result, or failed because its key could not be made.
    /// </summary>
    private bool SettledByCache(int index, PlannedStep planned, in StepPreparation preparation)
    {
        if (Cache is not { } cache)
        {
            return false;
        }

        var check = cache.Check(planned, preparation.Renderer, this, warning => Context.Write(planned.Id, LogStream.Info, warning));
        if (check.Error is { } error)
        {
            Settle(index, new StepResult { Status = StepStatus.Failed, Error = error, ParallelGroup = planned.Level });
            Release(index);
            return true;
        }

        if (check.UpToDate is { } result)
        {
            Settle(index, result with { ParallelGroup = planned.Level });
            Release(index);
            return true;
        }

        (_cacheInfos ??= new StepCacheInfo?[_steps.Count])[index] = check.Info;
        return false;
    }
}
