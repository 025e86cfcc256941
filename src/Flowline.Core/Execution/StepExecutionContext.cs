using System.Diagnostics.CodeAnalysis;
using Flowline.Execution;
using Flowline.Expressions;

namespace Flowline;

/// <summary>What an executor may use while it runs one step: the run's identity, paths, environment, logging and time.</summary>
public sealed class StepExecutionContext
{
    private static readonly ExecutionOptions DefaultOptions = new();

    // One context per step: what the run's steps share lives in one RunValues per run, so a context is six references
    // and the attempt (issue 7, B7: the no-op benchmark allocates a context per step).
    private readonly RunValues _run;
    private readonly IReadOnlyDictionary<string, string>? _stepEnv;
    private readonly ITemplateRenderer? _renderer;
    private IExpressionScope? _expressionScope;
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
        _run = new RunValues(runId, workflow, workingDirectory, DefaultOptions, timeProvider, null, log);
        StepId = string.Empty;
        _environment = environment;
        Attempt = attempt;
    }

    // The runner's constructor: no per-step delegate and the environment merged only when read, so a no-op step costs
    // one allocation here (issue 3 throughput goal).
    internal StepExecutionContext(RunValues run, string stepId, IReadOnlyDictionary<string, string> stepEnvironment, int attempt, ITemplateRenderer? renderer = null)
    {
        _run = run;
        _renderer = renderer;
        StepId = stepId;
        _stepEnv = stepEnvironment;
        Attempt = attempt;
    }

    /// <summary>The run's id.</summary>
    public string RunId => _run.RunId;

    /// <summary>The workflow being run.</summary>
    public WorkflowDefinition Workflow => _run.Workflow;

    /// <summary>The id of the step being run (empty when the context was built outside a runner).</summary>
    public string StepId { get; }

    /// <summary>The folder relative paths resolve against: the workflow file's folder, else the current directory.</summary>
    public string WorkingDirectory => _run.WorkingDirectory;

    /// <summary>Environment for the step: workflow <c>env</c>, step <c>env</c> and <c>FLOWLINE_*</c> variables (not the process's own).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        _environment ??= new StepEnvironment(Workflow.Env, _stepEnv!, RunId, Workflow.Name, StepId, Attempt, _run.Tracing?.TraceParent(StepId));

    /// <summary>The run's options (variables, output limit, kill grace period…).</summary>
    public ExecutionOptions Options => _run.Options;

    /// <summary>The runner's clock.</summary>
    public TimeProvider TimeProvider => _run.TimeProvider;

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; }

    /// <summary>
    /// Renders a <c>{{ }}</c> template from this step's config against the run (docs/expressions.md): the roots
    /// <c>env</c>, <c>variables</c>, <c>steps</c>, <c>workflow</c> and <c>run</c>, plus <paramref name="extraRoots"/>
    /// (e.g. <c>parameters</c>). A script step's config arrives already rendered; the agent executor renders its prompt
    /// and parameters itself (through <see cref="ExpressionScope"/>); a custom executor renders the fields it treats
    /// as templates with this.
    /// </summary>
    /// <param name="template">The text, e.g. <c>SELECT * FROM {{ variables.table }}</c>.</param>
    /// <param name="extraRoots">Roots to add or override, or null.</param>
    /// <param name="text">The rendered text, on success.</param>
    /// <param name="error">What went wrong and how to fix it (an undefined path, a syntax error with a caret), on failure.</param>
    /// <returns>Whether rendering succeeded.</returns>
    public bool TryRender(string template, IReadOnlyDictionary<string, object?>? extraRoots, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (_renderer is not null)
        {
            return _renderer.TryRender(StepId, template, extraRoots, out text, out error);
        }

        if (!Template.ContainsTemplate(template))
        {
            text = template;
            error = null;
            return true;
        }

        text = null;
        error = "templates can only be rendered while a WorkflowRunner runs the step";
        return false;
    }

    /// <inheritdoc cref="TryRender(string, IReadOnlyDictionary{string, object?}?, out string?, out string?)"/>
    public bool TryRender(string template, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? error) =>
        TryRender(template, null, out text, out error);

    /// <summary>
    /// Renders <paramref name="template"/> as <see cref="TryRender(string, out string?, out string?)"/> does, throwing
    /// when it cannot; the runner turns the exception into a failed step whose error is the message.
    /// </summary>
    /// <param name="template">The text to render.</param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="InvalidOperationException">The template cannot be rendered; the message says why and how to fix it.</exception>
    public string Render(string template) =>
        TryRender(template, null, out var text, out var error) ? text : throw new InvalidOperationException(error);

    /// <summary>
    /// The step's <see cref="StepConfig.Raw"/> config with every string leaf rendered as a template, for custom
    /// executors whose whole config may hold <c>{{ }}</c>.
    /// </summary>
    /// <returns>A rendered copy of the config.</returns>
    /// <exception cref="InvalidOperationException">A leaf cannot be rendered; the message names the key and the fix.</exception>
    public IReadOnlyDictionary<string, object?> RenderConfig()
    {
        if (_renderer is null)
        {
            throw new InvalidOperationException("templates can only be rendered while a WorkflowRunner runs the step");
        }

        return _renderer.TryRenderConfig(StepId, out var config, out var error) ? config : throw new InvalidOperationException(error);
    }

    /// <summary>
    /// The run's expression scope for this step (<c>env</c>, <c>variables</c>, <c>steps</c>, <c>workflow</c>,
    /// <c>run</c>) for executors that render their own templates, such as agent prompts; built on first read. Null
    /// when the context was built outside a runner and the host gives none.
    /// </summary>
    public IExpressionScope? ExpressionScope
    {
        get => _expressionScope ??= _renderer?.CreateScope(StepId);
        init => _expressionScope = value;
    }

    /// <summary>
    /// The handle the resumed run left for this step (issue 12: a Slurm job to re-attach to), offered to the first
    /// attempt only; null when there is none.
    /// </summary>
    internal string? PreviousHandle => Attempt == 1 ? _run.Journal?.PreviousHandle(StepId) : null;

    /// <summary>Records this step's handle in the run store; completes once it is committed (at once when the run is not recorded).</summary>
    internal Task SaveHandleAsync(string handle, CancellationToken cancellationToken) =>
        _run.Journal?.SaveHandleAsync(StepId, handle, cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// Names of Flowline's own environment that a process the step starts must not inherit: the declared secrets
    /// (issue 13), which reach a step only through the <c>{{ secrets.NAME }}</c> it writes.
    /// </summary>
    internal IReadOnlyCollection<string> HiddenEnvironment => _run.HiddenEnvironment;

    /// <summary>The running workflow, which runs the children of <c>type: workflow</c> steps (issue 14); null outside a runner.</summary>
    internal Execution.Nested.INestedRuns? Nested => _run.Nested;

    /// <summary>The step's config with every string leaf rendered, or why it cannot be (the Try form of <see cref="RenderConfig"/>).</summary>
    internal bool TryRenderConfig([NotNullWhen(true)] out IReadOnlyDictionary<string, object?>? config, [NotNullWhen(false)] out string? error)
    {
        if (_renderer is null)
        {
            config = null;
            error = "templates can only be rendered while a WorkflowRunner runs the step";
            return false;
        }

        return _renderer.TryRenderConfig(StepId, out config, out error);
    }

    /// <summary>The run's template cache when a runner runs the step (issue 11: agent prompts render through it).</summary>
    internal Binding.TemplateCache? Templates => _renderer?.Templates;

    /// <summary>Writes one line to the step's log (and the live view).</summary>
    public void Log(string line, LogStream stream = LogStream.Info)
    {
        if (_run.Sink is { } sink)
        {
            sink.Write(StepId, stream, line);
        }
        else
        {
            _run.Log!(line, stream);
        }
    }

    /// <summary>What every step of one run shares: one object per run instead of five fields per step.</summary>
    internal sealed class RunValues(
        string runId,
        WorkflowDefinition workflow,
        string workingDirectory,
        ExecutionOptions options,
        TimeProvider timeProvider,
        WorkflowContext? sink,
        Action<string, LogStream>? log)
    {
        /// <summary>The values of a runner's run, whose steps log to <paramref name="run"/>.</summary>
        public RunValues(WorkflowContext run, ExecutionOptions options, TimeProvider timeProvider)
            : this(run.RunId, run.Workflow, run.WorkingDirectory, options, timeProvider, run, null)
        {
        }

        public string RunId { get; } = runId;

        public WorkflowDefinition Workflow { get; } = workflow;

        public string WorkingDirectory { get; } = workingDirectory;

        public ExecutionOptions Options { get; } = options;

        public TimeProvider TimeProvider { get; } = timeProvider;

        public WorkflowContext? Sink { get; } = sink;

        public Action<string, LogStream>? Log { get; } = log;

        /// <summary>The run itself, for <c>type: workflow</c> steps (issue 14).</summary>
        public Execution.Nested.INestedRuns? Nested { get; init; }

        /// <summary>Where executors keep step handles; null when the run is not recorded.</summary>
        public IRunJournal? Journal { get; init; }

        /// <summary>Names of Flowline's own environment that the step's processes must not inherit (declared secrets).</summary>
        public IReadOnlyCollection<string> HiddenEnvironment { get; init; } = [];

        /// <summary>The run's spans, whose step span becomes <c>TRACEPARENT</c>; null when nothing listens to Flowline's traces.</summary>
        public Execution.Tracing.TracingObserver? Tracing { get; init; }
    }
}
