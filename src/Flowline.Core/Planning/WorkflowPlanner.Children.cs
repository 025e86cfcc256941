using Flowline.Execution.Nested;
using Flowline.Expressions;
using Flowline.Loading;

namespace Flowline.Planning;

/// <summary>
/// Plans the children of <c>type: workflow</c> steps (issue 14, docs/workflows-in-workflows.md): each child file is
/// loaded, validated and planned here, recursively, so a child's errors keep the parent from running and
/// <c>flowline validate</c> reports them in the child's file with the chain of files that led there.
/// </summary>
internal sealed partial class WorkflowPlanner
{
    private const string IncludedMarker = " (included from ";

    private readonly IncludeChain? _chain;
    private Dictionary<string, ChildWorkflow>? _children;

    private void Children(PlannedStep[] steps)
    {
        foreach (var planned in steps)
        {
            if (planned.Executor is WorkflowStepExecutor && !string.IsNullOrEmpty(planned.Id) && PlanChild(planned.Step) is { } child)
            {
                (_children ??= new(StringComparer.Ordinal))[planned.Id] = child;
            }
        }
    }

    private ChildWorkflow? PlanChild(WorkflowStep step)
    {
        var raw = step.Config.Raw;
        if (!raw.TryGetValue("path", out var value) || value is not string { Length: > 0 } relative)
        {
            // The executor's Validate reports the missing path (FL1170); the step just cannot run.
            return null;
        }

        var including = _source?.Path is { Length: > 0 } source ? Path.GetFullPath(source) : null;
        var folder = including is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(including)!;
        var fullPath = Path.GetFullPath(Path.Combine(folder, relative));
        var chain = _chain ?? IncludeChain.Root(_definition);
        var pathPointer = DiagnosticText.Pointer(step, "/config/path");
        if (chain.Contains(fullPath))
        {
            Problem(DiagnosticCodes.ChildWorkflowCycle, pathPointer, step,
                $"Step '{step.Id}' runs workflow '{relative}', which is already running higher up: {chain.Describe(fullPath)}. "
                + "Workflow files cannot include each other in a loop; move the shared steps into a third file that neither includes.");
            return null;
        }

        if (!File.Exists(fullPath))
        {
            Problem(DiagnosticCodes.ChildWorkflowNotFound, pathPointer, step,
                $"Step '{step.Id}' runs workflow '{relative}', which does not exist (tried {fullPath}). "
                + $"config.path is relative to the folder of {(including is null ? "the current folder" : IncludeChain.Display(including))}; fix the path or create the file.");
            return null;
        }

        var inner = chain.Then(fullPath, Locate(pathPointer));
        var load = WorkflowLoader.LoadFile(IncludeChain.Display(fullPath));
        var validation = load.Definition is null
            ? new ValidationResult(load.Diagnostics)
            : new WorkflowValidator(_executors, _executors.Snapshot(), _executorOverride).Combine(load, inner);
        var errors = 0;
        foreach (var diagnostic in validation.Diagnostics)
        {
            var moved = diagnostic with
            {
                Message = diagnostic.Message.Contains(IncludedMarker, StringComparison.Ordinal) ? diagnostic.Message : WithChain(diagnostic.Message, inner),
                StepId = diagnostic.StepId is null ? step.Id : step.Id + "/" + diagnostic.StepId,
            };
            _diagnostics.Add(moved);
            if (moved.IsError)
            {
                errors++;
                _problems.Add(moved);
            }
        }

        if (validation.Definition is { } definition)
        {
            ChildVariables(step, definition);
        }

        if (errors > 0 || validation.Plan is not { } plan)
        {
            Problem(DiagnosticCodes.ChildWorkflowInvalid, pathPointer, step,
                $"Step '{step.Id}' runs workflow '{relative}', which has {errors} error{(errors == 1 ? "" : "s")} (reported in {IncludeChain.Display(fullPath)}); fix them there.");
            return null;
        }

        return new ChildWorkflow(fullPath, plan);
    }

    // The chain goes at the end of the message's first line: a template error's source line and caret follow it.
    private static string WithChain(string message, IncludeChain chain)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message + chain.IncludedFrom() : message[..newline] + chain.IncludedFrom() + message[newline..];
    }

    // config.variables against what the child declares; a child that declares none takes any, as --var does.
    private void ChildVariables(WorkflowStep step, WorkflowDefinition child)
    {
        if (child.Variables.Count == 0)
        {
            return;
        }

        var given = step.Config.Raw.GetValueOrDefault("variables") as IReadOnlyDictionary<string, object?> ?? EmptyMap<object?>.Instance;
        foreach (var name in given.Keys)
        {
            if (!child.Variables.ContainsKey(name))
            {
                Problem(DiagnosticCodes.UnknownChildVariable, DiagnosticText.Pointer(step, "/config/variables/" + YamlPointer.Escape(name)), step,
                    $"Step '{step.Id}' gives variable '{name}' to its workflow, which does not declare it.{Suggestions.DidYouMean(name, child.Variables.Keys)} "
                    + $"Declared: {string.Join(", ", child.Variables.Keys)}. Declare it under the child's 'variables:' or drop it.");
            }
        }

        foreach (var (name, variable) in child.Variables)
        {
            if (variable.Required && variable.Default is null && !given.ContainsKey(name))
            {
                Problem(DiagnosticCodes.MissingChildVariable, DiagnosticText.Pointer(step, "/config"), step,
                    $"Step '{step.Id}' does not give variable '{name}', which its workflow requires; add it under config.variables ({name}: VALUE).");
            }
        }
    }

    // steps.ID.output.NAME of a workflow step reads one of its child's outputs: a NAME the child does not return is a typo.
    private void ChildOutputsRead(PlannedStep[] steps)
    {
        foreach (var planned in steps)
        {
            foreach (var text in planned.Condition is null ? planned.Templates : planned.Templates.Prepend(planned.Condition))
            {
                foreach (var reference in text.CheckableReferences)
                {
                    if (reference.Root == "steps" && reference.Segments is [var id, "output", var name, ..]
                        && _children!.TryGetValue(id, out var child) && !child.Plan.Workflow.Outputs.ContainsKey(name))
                    {
                        var outputs = child.Plan.Workflow.Outputs.Keys.ToList();
                        Problem(DiagnosticCodes.UnknownChildOutput, text.Pointer, planned.Step,
                            $"{DiagnosticText.Owner(planned.Step)} reads steps.{id}.output.{name}, but workflow '{IncludeChain.Display(child.FullPath)}' returns no output '{name}'.{Suggestions.DidYouMean(name, outputs)} "
                            + (outputs.Count == 0 ? "It declares no outputs; add them under its top-level 'outputs:'." : $"Its outputs: {string.Join(", ", outputs)}."));
                    }
                }
            }
        }
    }

    // A workflow's outputs (issue 14) are templates over its own steps, checked like any other template.
    private void WorkflowOutputs()
    {
        foreach (var (name, text) in _workflow.Outputs)
        {
            var pointer = "/outputs/" + YamlPointer.Escape(name);
            if (!Template.TryParse(text, out var template, out var error))
            {
                Problem(DiagnosticCodes.InvalidWorkflowOutput, pointer, null,
                    $"Workflow output '{name}' is not a valid template: {Binding.StepBinder.Describe(error, text)}");
                continue;
            }

            foreach (var reference in template.References)
            {
                if (reference.Root == "steps" && reference.Segments.Count > 0 && !_byId.ContainsKey(reference.Segments[0])
                    && !(_matrix?.Groups.ContainsKey(reference.Segments[0]) ?? false))
                {
                    Problem(DiagnosticCodes.InvalidWorkflowOutput, pointer, null,
                        $"Workflow output '{name}' reads step '{reference.Segments[0]}', which this workflow does not have.{Suggestions.DidYouMean(reference.Segments[0], _byId.Keys)}");
                }
            }
        }
    }
}
