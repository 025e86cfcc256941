using Flowline.Planning;

namespace Flowline.Execution.Nested;

/// <summary>
/// Runs <c>type: workflow</c> steps (issue 14, docs/workflows-in-workflows.md): renders <c>config.variables</c> as the
/// step starts and hands the child workflow, planned with the parent, to the running workflow
/// (<see cref="INestedRuns"/>), whose scheduler runs the child's steps beside its own.
/// </summary>
internal sealed class WorkflowStepExecutor : StepExecutor
{
    public const string TypeName = "workflow";

    private static readonly string[] Keys = ["path", "variables", "timeout"];

    public override string Type => TypeName;

    public override IEnumerable<Diagnostic> Validate(WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var raw = step.Config.Raw;
        if (!raw.TryGetValue("path", out var path) || path is not string { Length: > 0 } text)
        {
            yield return Invalid(step, $"Step '{step.Id}' is a workflow step without config.path; give the child workflow's file, relative to this one (path: ./deploy.yaml).");
        }
        else if (Expressions.Template.ContainsTemplate(text))
        {
            yield return Invalid(step, $"config.path of step '{step.Id}' holds a template; the child is planned with its parent, so give the file name as it is.");
        }

        if (raw.TryGetValue("variables", out var variables) && variables is not (null or IReadOnlyDictionary<string, object?>))
        {
            yield return Invalid(step, $"config.variables of step '{step.Id}' must be a mapping of the child's variable names to values or templates (environment: staging).");
        }

        foreach (var key in raw.Keys)
        {
            if (!Keys.Contains(key, StringComparer.Ordinal) && !Loading.FormatKeys.IsExtension(key))
            {
                yield return Invalid(step,
                    $"Unknown key '{key}' in the config of workflow step '{step.Id}'.{Expressions.Suggestions.DidYouMean(key, Keys)} Allowed keys: {string.Join(", ", Keys)}.");
            }
        }
    }

    // Only config.variables holds templates: the path is a file name, planned before anything runs.
    public override StepTraits Describe(WorkflowStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var variables = step.Config.Raw.GetValueOrDefault("variables");
        var templates = ConfigTemplates.Leaves(variables, checkedByValidator: true, "/variables", "config.variables");
        ConfigTimeout.TryRead(step.Config.Raw, out var timeout);
        return new StepTraits { Timeout = timeout, Templates = templates };
    }

    public override async Task<StepExecutionResult> ExecuteAsync(WorkflowStep step, StepExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Nested is not { } runs)
        {
            return new StepExecutionResult { Success = false, CouldNotStart = true, Error = "workflow steps run only inside a WorkflowRunner's run" };
        }

        IReadOnlyDictionary<string, object?> variables = EmptyMap<object?>.Instance;
        if (step.Config.Raw.GetValueOrDefault("variables") is IReadOnlyDictionary<string, object?> { Count: > 0 })
        {
            if (!context.TryRenderConfig(out var config, out var error))
            {
                return new StepExecutionResult { Success = false, CouldNotStart = true, Error = "config.variables could not be rendered: " + error };
            }

            variables = config.GetValueOrDefault("variables") as IReadOnlyDictionary<string, object?> ?? EmptyMap<object?>.Instance;
        }

        return await runs.RunChildAsync(context.StepId, context.Attempt, variables, cancellationToken).ConfigureAwait(false);
    }

    private static Diagnostic Invalid(WorkflowStep step, string message) =>
        new(DiagnosticCodes.InvalidWorkflowStepConfig, DiagnosticSeverity.Error, message, null, step.Id);
}
