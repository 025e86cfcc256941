using Flowline.Expressions;

namespace Flowline.Loading;

internal sealed partial class DefinitionReader
{
    /// <summary>Free-form values nest at most this deep, so converting them cannot exhaust the stack.</summary>
    private const int MaxDepth = 128;

    private Dictionary<YamlNode, object?>? _plainCache;
    private Action<YamlNode>? _tooDeep;

    private string? String(YamlNode node, string what)
    {
        if (node is YamlScalar scalar)
        {
            return scalar.IsPlain && CoreSchema.IsNull(scalar.Value) ? null : scalar.Value;
        }

        WrongType(node, what, "a string");
        return null;
    }

    private bool? Boolean(YamlNode node, string what)
    {
        if (node is YamlScalar { IsPlain: true } scalar)
        {
            if (CoreSchema.IsNull(scalar.Value))
            {
                return null;
            }

            if (CoreSchema.TryBoolean(scalar.Value, out var value))
            {
                return value;
            }
        }

        WrongType(node, what, "a boolean (true or false, unquoted)");
        return null;
    }

    private int? Integer(YamlNode node, string what)
    {
        if (node is YamlScalar { IsPlain: true } scalar)
        {
            if (CoreSchema.IsNull(scalar.Value))
            {
                return null;
            }

            if (CoreSchema.TryInteger(scalar.Value, out var value) && value is >= int.MinValue and <= int.MaxValue)
            {
                return (int)value;
            }
        }

        WrongType(node, what, "a whole number (unquoted)");
        return null;
    }

    private TimeSpan? Timeout(YamlNode node, string what) => Duration(node, what, warnWithoutUnit: true);

    /// <summary>
    /// A duration as timeouts are written: whole milliseconds or a duration string. <paramref name="warnWithoutUnit"/>
    /// adds FL1010 for a number under a second, meant for timeouts only: a poll interval of 250 is plainly milliseconds.
    /// </summary>
    private TimeSpan? Duration(YamlNode node, string what, bool warnWithoutUnit)
    {
        if (node is YamlScalar scalar)
        {
            if (scalar.IsPlain && CoreSchema.IsNull(scalar.Value))
            {
                return null;
            }

            if (scalar.IsPlain && CoreSchema.TryInteger(scalar.Value, out var milliseconds))
            {
                if (Durations.TryFromMilliseconds(milliseconds, out var fromMilliseconds))
                {
                    if (warnWithoutUnit && milliseconds is > 0 and < 1000)
                    {
                        // Files written for the TypeScript original give seconds here (issue 18); a unit makes either intent explicit.
                        diagnostics.Add(new Diagnostic(
                            DiagnosticCodes.TimeoutWithoutUnit,
                            DiagnosticSeverity.Warning,
                            $"{char.ToUpperInvariant(what[0])}{what[1..]} is {milliseconds} ms; did you mean {milliseconds}s? A number without a unit is milliseconds. Write '{milliseconds}s' for seconds, or '{milliseconds}ms' to keep milliseconds.",
                            new SourceLocation(file, node.Line, node.Column)));
                    }

                    return fromMilliseconds;
                }
            }
            else if (Durations.TryParse(scalar.Value, out var duration))
            {
                return duration;
            }
        }

        node.Rejected = true;
        diagnostics.Add(Error(
            DiagnosticCodes.InvalidDuration,
            node,
            $"Expected {Durations.AcceptedForms} for {what}, found {node.Describe()}."));
        return null;
    }

    private string[]? StringList(YamlNode node, string what, bool allowSingle)
    {
        if (allowSingle && node is YamlScalar single)
        {
            // GitHub Actions' `needs` accepts one id or a list; so does dependsOn (issue 2).
            return single.IsPlain && CoreSchema.IsNull(single.Value) ? [] : [single.Value];
        }

        if (node is not YamlSequence sequence)
        {
            WrongType(node, what, "a list of strings, such as [\"a\", \"b\"]");
            return null;
        }

        var items = new string[sequence.Items.Count];
        var n = 0;
        foreach (var item in sequence.Items)
        {
            if (item is YamlScalar scalar)
            {
                items[n++] = scalar.Value;
            }
            else
            {
                WrongType(item, $"an item of {what}", "a string");
            }
        }

        return n == items.Length ? items : items[..n];
    }

    private Dictionary<string, string>? Env(YamlNode node, string what)
    {
        if (Mapping(node, what, "a mapping of variable names to values (NODE_ENV: production)") is not { } mapping)
        {
            return null;
        }

        var env = new Dictionary<string, string>(mapping.Entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            if (FormatKeys.IsExtension(key.Value))
            {
                continue;
            }

            if (value is YamlScalar scalar)
            {
                // Scalars keep their text (`CI: true` is "true"); an empty or null value is the empty string.
                env[key.Value] = scalar.IsPlain && CoreSchema.IsNull(scalar.Value) ? string.Empty : scalar.Value;
                continue;
            }

            value.Rejected = true;
            diagnostics.Add(Error(
                DiagnosticCodes.EnvValueNotScalar,
                value,
                $"Environment variable '{key.Value}' must be a single value (a string, number or boolean), found {value.Describe()}. Quote it as one string if it holds structured data."));
        }

        return env;
    }

    private IReadOnlyDictionary<string, object?>? FreeMap(YamlNode node, string what)
    {
        if (Mapping(node, what, "a mapping") is not { } mapping)
        {
            return null;
        }

        return (IReadOnlyDictionary<string, object?>?)Plain(mapping, 0);
    }

    private YamlMapping? Mapping(YamlNode node, string what, string expected)
    {
        if (node is YamlMapping mapping)
        {
            return mapping;
        }

        if (node is YamlScalar { IsPlain: true } scalar && CoreSchema.IsNull(scalar.Value))
        {
            return new YamlMapping(node.Line, node.Column);
        }

        WrongType(node, what, expected);
        return null;
    }

    /// <summary>Free-form values as plain objects: null, bool, long, double, string, lists and read-only dictionaries.</summary>
    private object? Plain(YamlNode node, int depth)
    {
        // One delegate per reader, not per call: every step's config comes through here.
        _tooDeep ??= n => WrongType(n, "a free-form value", $"at most {MaxDepth} levels of nesting");
        return YamlPlain.Convert(node, MaxDepth - depth, hasAliases ? _plainCache ??= YamlPlain.NewCache() : null, _tooDeep);
    }

    private void UnknownKey(YamlScalar key, string[] allowed, string where)
    {
        if (FormatKeys.IsExtension(key.Value))
        {
            return;
        }

        diagnostics.Add(Error(
            DiagnosticCodes.UnknownKey,
            key,
            $"Unknown key '{key.Value}' {where}.{Suggestions.DidYouMean(key.Value, allowed)} Allowed keys: {string.Join(", ", allowed)} (and x-* extensions)."));
    }

    private void WrongType(YamlNode node, string what, string expected)
    {
        node.Rejected = true;
        diagnostics.Add(Error(DiagnosticCodes.WrongType, node, $"Expected {expected} for {what}, found {node.Describe()}."));
    }

    private Diagnostic Error(string code, YamlNode node, string message) =>
        new(code, DiagnosticSeverity.Error, message, new SourceLocation(file, node.Line, node.Column));
}
