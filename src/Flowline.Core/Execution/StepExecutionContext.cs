using Flowline.Execution;
using Flowline.Expressions;

namespace Flowline;

/// <summary>What an executor may use while it runs one step: the run's identity, paths, environment, logging and time.</summary>
public sealed class StepExecutionContext
{
    private readonly Action<string, LogStream>? _log;
    private readonly WorkflowContext? _sink;
    private readonly IReadOnlyDictionary<string, string>? _stepEnv;
    private static readonly ExecutionOptions DefaultOptions = new();

    private IReadOnlyDictionary<string, string>? _environment;

    internal StepExecutionContext(
        string runId,
        WorkflowDefinition workflow,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        TimeProvider timeProvider,
        int attempt,
        Action<string, LogStream> log)
    {
        RunId = runId;
        Workflow = workflow;
        StepId = string.Empty;
        WorkingDirectory = workingDirectory;
        _environment = environment;
        Options = DefaultOptions;
        TimeProvider = timeProvider;
        Attempt = attempt;
        _log = log;
    }

    // The runner's constructor: no per-step delegate and the environment merged only when read, so a no-op step costs
    // one allocation here (issue 3 throughput goal).
    internal StepExecutionContext(
        WorkflowContext run,
        ExecutionOptions options,
        string stepId,
        IReadOnlyDictionary<string, string> stepEnvironment,
        TimeProvider timeProvider,
        int attempt)
    {
        Options = options;
        RunId = run.RunId;
        Workflow = run.Workflow;
        StepId = stepId;
        WorkingDirectory = run.WorkingDirectory;
        _stepEnv = stepEnvironment;
        TimeProvider = timeProvider;
        Attempt = attempt;
        _sink = run;
    }

    /// <summary>The run's id.</summary>
    public string RunId { get; }

    /// <summary>The workflow being run.</summary>
    public WorkflowDefinition Workflow { get; }

    /// <summary>The id of the step being run (empty when the context was built outside a runner).</summary>
    public string StepId { get; }

    /// <summary>The folder relative paths resolve against: the workflow file's folder, else the current directory.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Environment for the step: workflow <c>env</c>, step <c>env</c> and <c>FLOWLINE_*</c> variables (not the process's own).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        _environment ??= new StepEnvironment(Workflow.Env, _stepEnv!, RunId, Workflow.Name, StepId, Attempt);

    /// <summary>The run's options (variables, output limit, kill grace period…).</summary>
    public ExecutionOptions Options { get; }

    /// <summary>The runner's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; }

    /// <summary>
    /// The run's expression scope (<c>env</c>, <c>variables</c>, <c>steps</c>, <c>workflow</c>, <c>run</c>) for
    /// executors that render their own templates, such as agent prompts; null when the host gives none.
    /// </summary>
    public IExpressionScope? ExpressionScope { get; init; }

    /// <summary>Writes one line to the step's log (and the live view).</summary>
    public void Log(string line, LogStream stream = LogStream.Info)
    {
        if (_sink is not null)
        {
            _sink.Write(StepId, stream, line);
        }
        else
        {
            _log!(line, stream);
        }
    }
}
