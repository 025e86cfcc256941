using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flowline.Execution.Slurm;

/// <summary>
/// What the run store keeps about a Slurm step's job (docs/slurm.md "Crash and resume"), written before
/// <c>sbatch</c> (<see cref="SubmittingState"/>), again once the id is known, and as the job goes on, so that a resumed
/// run re-attaches instead of submitting twice.
/// </summary>
internal sealed record SlurmHandle
{
    public const string SubmittingState = "submitting";
    public const string SubmittedState = "submitted";

    /// <summary>Tells this handle from another executor's in the store.</summary>
    public string Executor { get; init; } = "slurm";

    public required string State { get; init; }

    public string? JobId { get; init; }

    public string? Cluster { get; init; }

    /// <summary>The job's folder (argv, env, started, exit_code, stdout, stderr).</summary>
    public required string Folder { get; init; }

    public required string JobName { get; init; }

    public required string Comment { get; init; }

    public DateTimeOffset SubmittedAt { get; init; }

    public long StdoutOffset { get; init; }

    public long StderrOffset { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, SlurmJsonContext.Default.SlurmHandle);

    /// <summary>The handle in <paramref name="json"/>, or null when it is another executor's or unreadable.</summary>
    public static SlurmHandle? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            var handle = JsonSerializer.Deserialize(json, SlurmJsonContext.Default.SlurmHandle);
            return handle is { Executor: "slurm" } ? handle : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
