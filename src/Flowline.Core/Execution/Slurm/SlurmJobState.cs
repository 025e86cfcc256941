namespace Flowline.Execution.Slurm;

/// <summary>One job as <c>squeue</c> shows it: state (<c>PENDING</c>, <c>RUNNING</c>, <c>COMPLETED</c>…), reason, nodes and comment.</summary>
internal sealed record SlurmJobState(string JobId, string State, string Reason, string Nodes, string Comment)
{
    // Slurm's job states that end a job (squeue(1) "JOB STATE CODES"); everything else may still change.
    private static readonly HashSet<string> Terminal = new(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE",
        "REVOKED", "SPECIAL_EXIT",
    };

    // Pending reasons that never clear by themselves: waiting on would wait forever.
    private static readonly HashSet<string> Hopeless = new(StringComparer.Ordinal)
    {
        "DependencyNeverSatisfied", "BadConstraints", "PartitionDown", "PartitionInactive", "InvalidAccount", "InvalidQOS",
        "QOSJobLimit", "AccountNotAllowed", "PartitionConfig", "ReqNodeNotAvail, UnavailableNodes", "JobHeldAdmin",
    };

    public bool IsPending => State is "PENDING" or "REQUEUED" or "CONFIGURING" or "REQUEUE_HOLD" or "SUSPENDED";

    public bool IsTerminal => Terminal.Contains(State);

    /// <summary>A pending job whose reason Slurm will not clear (e.g. a partition that is down).</summary>
    public bool IsStuck => IsPending && Hopeless.Contains(Reason);

    /// <summary>A job that ended in a state no exit code can make a success.</summary>
    public bool IsFailureState => IsTerminal && State != "COMPLETED";
}
