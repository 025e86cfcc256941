namespace Flowline;

/// <summary>
/// A step's <c>config:</c> mapping. <see cref="Raw"/> holds it as plain values (string, bool, long, double,
/// null, <see cref="IReadOnlyList{T}"/> and <see cref="IReadOnlyDictionary{TKey,TValue}"/>) so that a custom
/// executor can read its own keys; the built-in types also get a typed view.
/// </summary>
public abstract partial record StepConfig
{
    /// <summary>The config mapping as plain values.</summary>
    public IReadOnlyDictionary<string, object?> Raw { get; init; } = EmptyMap<object?>.Instance;
}
