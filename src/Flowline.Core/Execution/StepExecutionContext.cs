using System.Diagnostics.CodeAnalysis;
using Flowline.Execution;
using Flowline.Expressions;

namespace Flowline;

/// <summary>What an executor may use while it runs one step: the run's identity, paths, environment, logging and time.</summary>
public sealed class StepExecutionContext
{
    private readonly Action<string, LogStream>? _log;
    private readonly WorkflowContext? _sink;
    private readonly IReadOnlyDictionary<string, string>? _stepEnv;
    private readonly ITemplateRenderer? _renderer;
    private IExpressionScope? _expressionScope;
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
        int attempt,
        ITemplateRenderer? renderer = null)
    {
        _renderer = renderer;
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
