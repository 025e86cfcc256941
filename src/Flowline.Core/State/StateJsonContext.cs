using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flowline.State;

/// <summary>Source-generated JSON for snapshots and the store's JSON columns (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(WorkflowSnapshot))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, JsonElement>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(StepCacheInfo))]
[JsonSerializable(typeof(CacheHeader))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
