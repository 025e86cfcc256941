using System.Text.Json;

namespace Flowline.State;

/// <summary>How statuses, times and JSON values are written in the database's columns.</summary>
internal static class StateText
{
    private static readonly StateJsonContext Compact = new(new JsonSerializerOptions(StateJsonContext.Default.Options) { WriteIndented = false });

    public static string ToText(RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        RunStatus.Cancelled => "cancelled",
        RunStatus.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown run status."),
    };

    public static string ToText(StepStatus status) => status switch
    {
        StepStatus.Pending => "pending",
        StepStatus.Running => "running",
        StepStatus.Completed => "completed",
        StepStatus.Failed => "failed",
        StepStatus.Skipped => "skipped",
        StepStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown step status."),
    };

    public static RunStatus ToRunStatus(string text) => text switch
    {
        "running" => RunStatus.Running,
        "completed" => RunStatus.Completed,
        "failed" => RunStatus.Failed,
        "cancelled" => RunStatus.Cancelled,
        "interrupted" => RunStatus.Interrupted,
        _ => throw new InvalidDataException($"Unknown run status '{text}' in the state database."),
    };

    public static StepStatus ToStepStatus(string text) => text switch
    {
        "pending" => StepStatus.Pending,
        "running" => StepStatus.Running,
        "completed" => StepStatus.Completed,
        "failed" => StepStatus.Failed,
        "skipped" => StepStatus.Skipped,
        "cancelled" => StepStatus.Cancelled,
        _ => throw new InvalidDataException($"Unknown step status '{text}' in the state database."),
    };

    public static long ToMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static string ToJson(IReadOnlyDictionary<string, JsonElement> map) =>
        JsonSerializer.Serialize(map, Compact.IReadOnlyDictionaryStringJsonElement);

    public static IReadOnlyDictionary<string, JsonElement> MapFromJson(string json) =>
        JsonSerializer.Deserialize(json, Compact.DictionaryStringJsonElement) ?? [];

    public static string ToJson(IReadOnlyDictionary<string, string> map) =>
        JsonSerializer.Serialize(map, Compact.IReadOnlyDictionaryStringString);

    public static IReadOnlyDictionary<string, string> TextMapFromJson(string json) =>
        JsonSerializer.Deserialize(json, Compact.DictionaryStringString) ?? [];

    public static string ToJson(StepCacheInfo cache) => JsonSerializer.Serialize(cache, Compact.StepCacheInfo);

    /// <summary>A stored cache entry: its key, reason and origin now, its inputs and files when first read (<see cref="StoredCacheMap"/>).</summary>
    public static StepCacheInfo? CacheFromJson(string json) =>
        JsonSerializer.Deserialize(json, Compact.CacheHeader) is { } header
            ? new StepCacheInfo
            {
                UpToDate = header.UpToDate,
                Reason = header.Reason,
                Key = header.Key,
                FromRun = header.FromRun,
                Inputs = new StoredCacheMap(json, files: false),
                Files = new StoredCacheMap(json, files: true),
            }
            : null;

    public static StepCacheInfo? FullCacheFromJson(string json) => JsonSerializer.Deserialize(json, Compact.StepCacheInfo);

    public static string ToJson(JsonElement value) => JsonSerializer.Serialize(value, Compact.JsonElement);

    public static JsonElement ElementFromJson(string json) => JsonSerializer.Deserialize(json, Compact.JsonElement);
}
