using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Flowline.State;

/// <summary>
/// The <c>inputs</c> or <c>files</c> map of a stored cache entry, parsed from the entry's JSON the first time it is read
/// (only to say what changed when a key differs, or to show it). An entry whose map cannot be read gives an empty map:
/// the key, which the check compares, was read when the row was.
/// </summary>
internal sealed class StoredCacheMap(string json, bool files) : IReadOnlyDictionary<string, string>
{
    private IReadOnlyDictionary<string, string>? _map;

    private IReadOnlyDictionary<string, string> Map => LazyInitializer.EnsureInitialized(ref _map, Parse);

    public int Count => Map.Count;

    public IEnumerable<string> Keys => Map.Keys;

    public IEnumerable<string> Values => Map.Values;

    public string this[string key] => Map[key];

    public bool ContainsKey(string key) => Map.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => Map.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Map.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IReadOnlyDictionary<string, string> Parse()
    {
        try
        {
            var entry = StateText.FullCacheFromJson(json);
            return (files ? entry?.Files : entry?.Inputs) ?? EmptyMap<string>.Instance;
        }
        catch (JsonException)
        {
            return EmptyMap<string>.Instance;
        }
    }
}
