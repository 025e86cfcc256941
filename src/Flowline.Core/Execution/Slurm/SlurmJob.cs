using Flowline.Execution.Processes;

namespace Flowline.Execution.Slurm;

/// <summary>One attempt's job while Flowline follows it: its handle, its files, its output tails and what was seen when.</summary>
internal sealed class SlurmJob(SlurmHandle handle, int captureLimit)
{
    public SlurmHandle Handle { get; set; } = handle;

    public string JobId => Handle.JobId!;

    public SlurmJobFolder Folder { get; } = new(handle.Folder);

    public BoundedCapture StdoutCapture { get; } = new(captureLimit);

    public BoundedCapture StderrCapture { get; } = new(captureLimit);

    public SlurmLogTail? Stdout { get; set; }

    public SlurmLogTail? Stderr { get; set; }

    /// <summary>When Flowline first saw the job running (the <see cref="TimeProvider"/>'s timestamp), or null.</summary>
    public long? SeenStartedAt { get; set; }

    /// <summary>The start as the job wrote it, and where.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    public string? Node { get; set; }

    public string? LastReason { get; set; }

    /// <summary>When a missing exit code was first noticed (the job ended or vanished without one), or null.</summary>
    public long? MissingExitSince { get; set; }

    public long LastSavedStdout { get; set; }

    public long LastSavedStderr { get; set; }

    public long LastSaveAt { get; set; }
}
