namespace Flowline.Expressions;

/// <summary>
/// The read-only world an expression is evaluated against: named roots, run status and a clock.
/// </summary>
public interface IExpressionScope
{
    /// <summary>
    /// Looks up a root such as <c>env</c>, <c>variables</c> or <c>steps</c>. Values may be strings, numbers,
    /// booleans, null, lists, string-keyed dictionaries or <see cref="System.Text.Json.JsonElement"/>
    /// (cloned, or from a document that outlives the evaluation).
    /// </summary>
    /// <param name="name">The root identifier, compared ordinally.</param>
    /// <param name="value">The root's value when found.</param>
    /// <returns><see langword="true"/> when the root exists; otherwise it evaluates to <see cref="Undefined"/>.</returns>
    public bool TryGetRoot(string name, out object? value);

    /// <summary>The run status that <c>success()</c>, <c>failure()</c> and <c>cancelled()</c> report.</summary>
    public ExpressionStatus Status { get; }

    /// <summary>The clock <c>now()</c> reads; never ambient time.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// The source <c>random()</c> draws from: <see cref="System.Random.Shared"/> unless a scope supplies a seeded one,
    /// so that tests and repeatable runs get the same numbers. Not for security: never use it for secrets or tokens.
    /// </summary>
    public Random Random => Random.Shared;
}
