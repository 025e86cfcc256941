using Flowline.Expressions;

namespace Flowline;

/// <summary>What an executor may use while it runs one step: the run's identity, paths, environment, logging and time.</summary>
public sealed class StepExecutionContext
{
    private readonly Action<string, LogStream> _log;

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
        WorkingDirectory = workingDirectory;
        Environment = environment;
        TimeProvider = timeProvider;
        Attempt = attempt;
        _log = log;
    }

    /// <summary>The run's id.</summary>
    public string RunId { get; }

    /// <summary>The workflow being run.</summary>
    public WorkflowDefinition Workflow { get; }

    /// <summary>The folder relative paths resolve against: the workflow file's folder, else the current directory.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Environment for the step: workflow <c>env</c>, step <c>env</c> and <c>FLOWLINE_*</c> variables (not the process's own).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

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
    public void Log(string line, LogStream stream = LogStream.Info) => _log(line, stream);
}
