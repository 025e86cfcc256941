namespace Flowline.Loading;

/// <summary>The keys of the fixed parts of the format (spec "Basic Structure", "Step Configuration", "Step Types").</summary>
internal static class FormatKeys
{
    public static readonly string[] Workflow = ["name", "version", "description", "timeout", "parallel", "env", "metadata", "agents", "executor", "slurm", "variables", "secrets", "outputs", "steps"];

    public static readonly string[] WorkflowParallel = ["enabled", "defaultMaxConcurrency", "resources"];

    public static readonly string[] Step = ["id", "name", "type", "config", "dependsOn", "condition", "continueOnError", "parallel", "executor", "slurm", "retry", "matrix", "cache"];

    /// <summary>The keys of a resource pool written as a mapping (<c>db: { size: 1, slurmLicense: db }</c>, issue 12).</summary>
    public static readonly string[] ResourcePool = ["size", "slurmLicense"];

    /// <summary>The keys of a <c>slurm:</c> block (issue 12, docs/slurm.md "The YAML").</summary>
    public static readonly string[] Slurm =
        ["partition", "account", "qos", "cpusPerTask", "memory", "gpus", "extraArgs", "maxJobs", "pollInterval", "queueStatInterval", "queueTimeout"];

    /// <summary>The keys of a <c>slurm:</c> block that set the executor for the whole run, so a step may not set them.</summary>
    public static readonly string[] SlurmWorkflowOnly = ["maxJobs", "pollInterval", "queueStatInterval"];

    public static readonly string[] StepParallel = ["enabled", "maxConcurrency", "resource", "isolateErrors"];

    public static readonly string[] Retry = ["attempts", "delay", "backoff", "maxDelay", "onExitCodes"];

    /// <summary>The keys of a step's <c>cache:</c> block (issue 14, docs/caching.md).</summary>
    public static readonly string[] Cache = ["sources", "outputs", "key"];

    public static readonly string[] Variable = ["type", "default", "description", "required", "enum"];

    public static readonly string[] Script = ["command", "args", "workingDirectory", "timeout", "env"];

    public static readonly string[] Agent = ["agent", "prompt", "parameters", "timeout"];

    /// <summary>Keys starting with <c>x-</c> are extension points: allowed anywhere and ignored (issue 2).</summary>
    public static bool IsExtension(string key) => key.StartsWith("x-", StringComparison.Ordinal);
}
