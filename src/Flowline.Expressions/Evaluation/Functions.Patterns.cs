using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Flowline.Expressions.Syntax;

namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>Past this many distinct patterns the cache starts over: a run's conditions use a handful.</summary>
    internal const int PatternCacheLimit = 256;

    /// <summary>Longer patterns are refused: the linear-time engine's automaton grows with the pattern.</summary>
    internal const int MaxPatternLength = 1000;

    // Belt and braces: the non-backtracking engine is linear in the input, so this only bounds a huge text. It is wall
    // time, and a pattern's first match builds the engine's automaton (and, in a JIT build, compiles its code): 1 s
    // failed `matches('feature/x', '^release/')` on a 2-core machine at load average 12, so the bound is 10 s.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    private static readonly ConcurrentDictionary<string, Regex> PatternCache = new(StringComparer.Ordinal);

    /// <summary>Issue 19: <c>matches(text, pattern)</c>, which cannot hang a run (docs/expressions.md "Functions").</summary>
    private static FunctionDefinition[] Patterns() =>
    [
        new("matches", 2, 2, "matches(text, pattern)", Matches),
    ];

    /// <summary>
    /// A parse-time check of literal arguments, so that <c>flowline validate</c> reports a bad pattern at its line
    /// and column instead of the run failing on it later; null when the call is fine or cannot be judged yet.
    /// </summary>
    public static ExpressionError? CheckLiteralArguments(string function, IReadOnlyList<Node> arguments) =>
        function == "matches" && arguments is [_, LiteralNode { Value: string pattern } literal] && PatternError(pattern) is { } message
            ? new ExpressionError(message, literal.Position) { Code = ErrorCodes.InvalidPattern }
            : null;

    private static object? Matches(IExpressionScope scope, IReadOnlyList<object?> a)
    {
        if (a[0] is null or Undefined)
        {
            return false;
        }

        var text = Text("matches", a[0]);
        var pattern = Text("matches", a[1]);
        var regex = Compile(pattern, out var error) ?? throw new EvaluationException(error!);
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new EvaluationException($"matches() gave up on pattern '{pattern}' after {MatchTimeout.TotalSeconds:0} s: the text is too large for it");
        }
    }

    private static string? PatternError(string pattern)
    {
        Compile(pattern, out var error);
        return error;
    }

    private static Regex? Compile(string pattern, out string? error)
    {
        error = null;
        if (PatternCache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        if (pattern.Length > MaxPatternLength)
        {
            error = $"matches() pattern '{pattern[..40]}…' is {pattern.Length} characters long; the limit is {MaxPatternLength}";
            return null;
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            error = $"matches() pattern '{pattern}' is not a valid regular expression: {e.Message}";
            return null;
        }
        catch (NotSupportedException e)
        {
            // Backreferences, lookarounds and atomic groups need backtracking, which is what could hang a run; a pattern
            // whose automaton would be huge (nested counted repeats) is refused here too rather than eating memory.
            error = $"matches() pattern '{pattern}' cannot run in linear time (no backreferences, lookarounds, atomic groups or huge repeat counts): {e.Message}";
            return null;
        }

        if (PatternCache.Count >= PatternCacheLimit)
        {
            PatternCache.Clear();
        }

        PatternCache[pattern] = regex;
        return regex;
    }
}
