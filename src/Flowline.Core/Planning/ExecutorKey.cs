namespace Flowline.Planning;

/// <summary>
/// What an executor is registered under (issue 12): its step type and its backend. A registered executor replaces
/// the one with the same type and backend, so the Slurm executor of <c>script</c> steps sits beside the local one.
/// </summary>
internal readonly record struct ExecutorKey(string Type, string Backend)
{
    public const string Local = "local";

    public const string Slurm = "slurm";

    /// <summary>The backends a workflow file may name in <c>executor:</c>, whatever is registered.</summary>
    public static IReadOnlyList<string> FileBackends { get; } = [Local, Slurm];

    public static ExecutorKey Of(StepExecutor executor) => new(executor.Type, executor.Backend);

    public override string ToString() => Backend == Local ? Type : $"{Type} ({Backend})";
}
