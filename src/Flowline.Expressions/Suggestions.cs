namespace Flowline.Expressions;

/// <summary>
/// The one "did you mean" of Flowline (expressions, workflow files, agents): optimal-string-alignment
/// (Damerau–Levenshtein) distance. Only called on the error path.
/// </summary>
internal static class Suggestions
{
    /// <summary>The candidate nearest to <paramref name="input"/>, if it is close enough to be a plausible typo.</summary>
    /// <param name="input">What the user wrote.</param>
    /// <param name="candidates">The names that exist.</param>
    /// <param name="ignoreCase">Compare without case, for names that are matched without case (function names).</param>
    public static string? Closest(string input, IEnumerable<string> candidates, bool ignoreCase = false)
    {
        var limit = Math.Max(1, Math.Min(3, (input.Length + 1) / 3));
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (Math.Abs(candidate.Length - input.Length) > limit)
            {
                continue;
            }

            var distance = ignoreCase ? Distance(input.ToUpperInvariant(), candidate.ToUpperInvariant()) : Distance(input, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        if (best is null && input.Length >= 4)
        {
            // A shortened key (workingDir for workingDirectory) is far by edits but obvious to a reader.
            foreach (var candidate in candidates)
            {
                if (candidate.StartsWith(input, StringComparison.OrdinalIgnoreCase))
                {
                    return candidate;
                }
            }
        }

        return best;
    }

    /// <summary>" Did you mean 'x'?" or an empty string.</summary>
    public static string DidYouMean(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } match ? $" Did you mean '{match}'?" : string.Empty;

    public static int Distance(string a, string b)
    {
        // Three rolling rows: the transposition case looks two rows back.
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }
}
