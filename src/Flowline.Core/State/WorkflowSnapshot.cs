using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Flowline.State;

/// <summary>
/// A run's state at one moment (spec "Context Snapshots"): enough to resume it or inspect it elsewhere.
/// Serialized with <see cref="ToJson"/> as camelCase JSON carrying <see cref="FormatVersion"/>.
/// </summary>
public sealed record WorkflowSnapshot
{
    /// <summary>The format this Flowline writes and the newest it reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The snapshot format; <see cref="FromJson"/> refuses others.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The run the snapshot was taken from.</summary>
    public required string RunId { get; init; }

    /// <summary>The workflow's <c>name</c>.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>The workflow's <c>version</c>.</summary>
    public required string WorkflowVersion { get; init; }

    /// <summary>The workflow file's path, if any.</summary>
    public string? WorkflowPath { get; init; }

    /// <summary>Content hash (XXH128) of the workflow file's text, to tell whether it changed before a resume.</summary>
    public string? ContentHash { get; init; }

    /// <summary>The run's variables.</summary>
    public IReadOnlyDictionary<string, JsonElement> Variables { get; init; } = EmptyMap<JsonElement>.Instance;

    /// <summary>The run's options.</summary>
    public IReadOnlyDictionary<string, JsonElement> Options { get; init; } = EmptyMap<JsonElement>.Instance;

    /// <summary>The run's status when the snapshot was taken.</summary>
    public RunStatus Status { get; init; } = RunStatus.Running;

    /// <summary>Every step recorded so far, with its output.</summary>
    public IReadOnlyList<StepSnapshot> Steps { get; init; } = [];

    /// <summary>
    /// Per step id, the length in bytes of its log file when the snapshot was taken: where a resumed run's
    /// log continues and where a reader picks up.
    /// </summary>
    public IReadOnlyDictionary<string, long> LogCursor { get; init; } = EmptyMap<long>.Instance;

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset? TakenAt { get; init; }

    /// <summary>The snapshot as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StateJsonContext.Default.WorkflowSnapshot);

    /// <summary>Reads a snapshot written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The text is not a snapshot, or one of a format this Flowline does not know.</exception>
    public static WorkflowSnapshot FromJson(string json) =>
        TryFromJson(json, out var snapshot, out var error) ? snapshot : throw new FormatException(error);

    /// <summary>Reads a snapshot written by <see cref="ToJson"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryFromJson(string json, [NotNullWhen(true)] out WorkflowSnapshot? snapshot, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        snapshot = null;
        try
        {
            // The version is checked before binding so a future format fails with its own message, not a shape error.
            using (var document = JsonDocument.Parse(json))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("formatVersion", out var version)
                    || version.ValueKind != JsonValueKind.Number
                    || !version.TryGetInt32(out var formatVersion))
                {
                    error = "The text is not a Flowline snapshot: it has no numeric 'formatVersion'.";
                    return false;
                }

                if (formatVersion != CurrentFormatVersion)
                {
                    error = formatVersion > CurrentFormatVersion
                        ? $"The snapshot has format version {formatVersion}, newer than this Flowline reads ({CurrentFormatVersion}); upgrade Flowline to read it."
                        : $"The snapshot has format version {formatVersion}, which this Flowline does not read (it reads {CurrentFormatVersion}).";
                    return false;
                }
            }

            snapshot = JsonSerializer.Deserialize(json, StateJsonContext.Default.WorkflowSnapshot);
            if (snapshot is null)
            {
                error = "The text is not a Flowline snapshot: it is JSON null.";
                return false;
            }

            error = null;
            return true;
        }
        catch (JsonException exception)
        {
            error = $"The text is not a valid Flowline snapshot: {exception.Message}";
            return false;
        }
    }
}
