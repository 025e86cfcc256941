namespace Flowline.Expressions;

/// <summary>
/// An <see cref="IExpressionScope"/> whose roots come from a dictionary; handy in tests and small hosts.
/// </summary>
public sealed class DictionaryScope : IExpressionScope
{
    private readonly IReadOnlyDictionary<string, object?> _roots;

    /// <summary>Creates a scope over <paramref name="roots"/>.</summary>
    /// <param name="roots">Root name to value, e.g. <c>"variables"</c> to a dictionary of variables.</param>
    /// <param name="status">The run status the status functions report.</param>
    /// <param name="timeProvider">The clock for <c>now()</c>; <see cref="TimeProvider.System"/> when null.</param>
    public DictionaryScope(IReadOnlyDictionary<string, object?> roots, ExpressionStatus status = default, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = roots;
        Status = status;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ExpressionStatus Status { get; }

    /// <inheritdoc />
    public TimeProvider TimeProvider { get; }

    /// <inheritdoc />
    public bool TryGetRoot(string name, out object? value) => _roots.TryGetValue(name, out value);
}
