namespace Flowline.Loading;

internal sealed partial class DefinitionReader
{
    /// <summary>A step's <c>retry:</c> block, or <c>retry: 3</c> for three attempts with the default delay (issue 13).</summary>
    private RetryOptions? Retry(YamlNode node)
    {
        if (node is YamlScalar { IsPlain: true } scalar && !CoreSchema.IsNull(scalar.Value))
        {
            return Integer(node, "'retry' (a number of attempts, or a mapping with attempts, delay, backoff, maxDelay and onExitCodes)") is { } count
                ? new RetryOptions { Attempts = count }
                : null;
        }

        if (Mapping(node, "the step 'retry' block", "a mapping with attempts, delay, backoff, maxDelay and onExitCodes") is not { } mapping)
        {
            return null;
        }

        int? attempts = null;
        TimeSpan? delay = null;
        double? backoff = null;
        TimeSpan? maxDelay = null;
        IReadOnlyList<int>? onExitCodes = null;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "attempts":
                    attempts = Integer(value, "'retry.attempts'");
                    break;
                case "delay":
                    delay = Timeout(value, "the retry 'delay'");
                    break;
                case "backoff":
                    backoff = Number(value, "'retry.backoff'");
                    break;
                case "maxDelay":
                    maxDelay = Timeout(value, "the retry 'maxDelay'");
                    break;
                case "onExitCodes":
                    onExitCodes = IntegerList(value, "'retry.onExitCodes'");
                    break;
                default:
                    UnknownKey(key, FormatKeys.Retry, "in the step 'retry' block");
                    break;
            }
        }

        return new RetryOptions
        {
            Attempts = attempts ?? 0,
            Delay = delay,
            Backoff = backoff,
            MaxDelay = maxDelay,
            OnExitCodes = onExitCodes,
        };
    }

    private double? Number(YamlNode node, string what)
    {
        if (node is YamlScalar { IsPlain: true } scalar)
        {
            if (CoreSchema.IsNull(scalar.Value))
            {
                return null;
            }

            if (CoreSchema.TryInteger(scalar.Value, out var whole))
            {
                return whole;
            }

            if (CoreSchema.TryFloat(scalar.Value, out var value))
            {
                return value;
            }
        }

        WrongType(node, what, "a number (unquoted), such as 2 or 1.5");
        return null;
    }

    private int[]? IntegerList(YamlNode node, string what)
    {
        if (node is YamlScalar { IsPlain: true } single && !CoreSchema.IsNull(single.Value))
        {
            return Integer(node, what) is { } one ? [one] : null;
        }

        if (node is not YamlSequence sequence)
        {
            WrongType(node, what, "a list of whole numbers, such as [75, 111]");
            return null;
        }

        var items = new List<int>(sequence.Items.Count);
        foreach (var item in sequence.Items)
        {
            if (Integer(item, $"an item of {what}") is { } value)
            {
                items.Add(value);
            }
        }

        return [.. items];
    }
}
