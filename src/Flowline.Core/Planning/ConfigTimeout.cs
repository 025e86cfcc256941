using System.Globalization;

namespace Flowline.Planning;

/// <summary>
/// Reads <c>config.timeout</c> of a step whose config has no typed view (a custom type): whole milliseconds or a
/// duration string, as the built-in types accept (<see cref="Durations.AcceptedForms"/>).
/// </summary>
internal static class ConfigTimeout
{
    public const string Key = "timeout";

    /// <summary>False when the key is present but holds no duration; <paramref name="timeout"/> is null when it is absent.</summary>
    public static bool TryRead(IReadOnlyDictionary<string, object?> config, out TimeSpan? timeout)
    {
        timeout = null;
        if (!config.TryGetValue(Key, out var value) || value is null)
        {
            return true;
        }

        switch (value)
        {
            case long ms:
                timeout = TimeSpan.FromMilliseconds(ms);
                return true;
            case int ms:
                timeout = TimeSpan.FromMilliseconds(ms);
                return true;
            case double ms when double.IsFinite(ms) && Math.Abs(ms) < TimeSpan.MaxValue.TotalMilliseconds:
                timeout = TimeSpan.FromMilliseconds(ms);
                return true;
            case string text when Durations.TryParse(text, out var parsed):
                timeout = parsed;
                return true;
            case string text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms):
                timeout = TimeSpan.FromMilliseconds(ms);
                return true;
            default:
                return false;
        }
    }
}
