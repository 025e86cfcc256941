namespace Flowline;

internal static class EmptyMap<TValue>
{
    public static readonly IReadOnlyDictionary<string, TValue> Instance =
        new Dictionary<string, TValue>(StringComparer.Ordinal);
}
