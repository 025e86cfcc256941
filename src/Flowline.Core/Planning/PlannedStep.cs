using Flowline.Planning;

namespace Flowline;

/// <summary>One step of a <see cref="WorkflowPlan"/>: the definition, its executor's traits and its place in the graph.</summary>
public sealed class PlannedStep
{
    internal PlannedStep(WorkflowStep step, int index, StepExecutor? executor, StepTraits traits, string backend = ExecutorKey.Local)
    {
        Step = step;
        Index = index;
        Executor = executor;
        Traits = traits;
        Backend = backend;
        DependsOnCount = step.DependsOn.Count;
    }

    /// <summary>The step as defined.</summary>
    public WorkflowStep Step { get; }

    /// <summary>The step's id.</summary>
    public string Id => Step.Id;

    /// <summary>The step's position in the file (0-based).</summary>
    public int Index { get; }

    /// <summary>
    /// Where the step runs (issue 12): <c>local</c>, or <c>slurm</c> for a <c>script</c> step whose executor is Slurm
    /// (<see cref="ExecutionOptions.Executor"/>, else the step's <c>executor:</c>, else the workflow's). Other step types always run locally.
    /// </summary>
    public string Backend { get; }

    /// <summary>What the step's executor declared about it.</summary>
    public StepTraits Traits { get; }

    /// <summary>Dependency level: 0 without dependencies, else one more than the highest of its dependencies (0 for every step of a workflow with a cycle).</summary>
    public int Level { get; internal set; }

    /// <summary>Every step it waits for, by id: its <c>dependsOn</c> (the steps that exist) and then its implicit dependencies.</summary>
    public IReadOnlyList<string> Dependencies { get; internal set; } = [];

    /// <summary>The steps it waits for because its condition or templates read them (<c>steps.build.output</c>), not listed in <c>dependsOn</c>.</summary>
    public IReadOnlyList<string> ImplicitDependencies { get; internal set; } = [];

    /// <summary>How many dependencies the definition listed when it was planned (a list changed since makes the plan stale).</summary>
    internal int DependsOnCount { get; }

    /// <summary>The executor registered for the step's type and <see cref="Backend"/>; null when none is.</summary>
    internal StepExecutor? Executor { get; }

    /// <summary>Index of the step's resource pool in <see cref="WorkflowPlan.Pools"/>, or -1 (also for a pool Slurm enforces as a license).</summary>
    internal int Pool { get; set; } = -1;

    /// <summary>Index of its matrix's <c>maxParallel</c> pool in <see cref="WorkflowPlan.Pools"/>, or -1 (issue 13).</summary>
    internal int MatrixPool { get; set; } = -1;

    /// <summary>The <c>matrix</c> root of a matrix instance (<c>matrix.os</c>), made once when planned; null for every other step.</summary>
    internal IReadOnlyDictionary<string, object?>? MatrixRoot { get; set; }

    /// <summary>Why a matrix step that could not be expanded fails when it would start (issue 13); null for every other step.</summary>
    internal string? MatrixProblem { get; set; }

    /// <summary>How many steps may run beside it, itself included (<c>parallel.maxConcurrency</c>; 1 for <c>enabled: false</c>).</summary>
    internal int Limit { get; set; } = int.MaxValue;

    internal bool Isolated => Step.Parallel?.IsolateErrors == true;

    /// <summary>Whether it may still start after a fatal failure: its condition reads another step's outcome (docs/scheduling.md).</summary>
    internal bool RunsAfterFailure { get; set; }

    /// <summary>A <c>type: workflow</c> step (issue 14): its child's steps hold the slots and pool units, it holds none.</summary>
    internal bool HoldsNoSlot { get; set; }

    /// <summary>The timeout the engine enforces, when the executor does not enforce it itself.</summary>
    internal TimeSpan? EngineTimeout => Traits.EnforcesTimeout ? null : Traits.Timeout;

    /// <summary>The condition, parsed; null when the step has none.</summary>
    internal PlannedText? Condition { get; set; }

    /// <summary>The templates of its config and its environment, parsed.</summary>
    internal IReadOnlyList<PlannedText> Templates { get; set; } = [];

    /// <summary>Whether the binder has anything to do for it: a condition, or a text or environment value with <c>{{</c>.</summary>
    internal bool NeedsBinding { get; set; }
}
