namespace Flowline.Caching;

/// <summary>What <see cref="RunCache.Check"/> decided: the step is up to date (<see cref="UpToDate"/>), it runs (with <see cref="Info"/>), or it fails.</summary>
/// <param name="UpToDate">The restored result when the step does not run.</param>
/// <param name="Info">The key and why the step runs.</param>
/// <param name="Error">Why the key could not be made (a <c>cache.key</c> that does not render).</param>
internal readonly record struct CacheCheck(StepResult? UpToDate, StepCacheInfo? Info, string? Error);
