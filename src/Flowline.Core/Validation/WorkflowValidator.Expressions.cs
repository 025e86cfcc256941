using Flowline.Binding;
using Flowline.Expressions;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    /// <summary>Conditions and templates (issue 4): syntax, roots, step ids and fields, each at its line and column.</summary>
    private sealed partial class Run
    {
        private static readonly string[] StepFields = ["output", "stdout", "stderr", "exitCode", "success", "status", "error", "skipReason", "executionTime"];
        private static readonly string[] WorkflowFields = ["name", "version"];
        private static readonly string[] RunFields = ["id"];
        private static readonly string[] StepRoots = ["env", "variables", "steps", "workflow", "run"];
        // What the agent executor adds (docs/agents.md): agent to parameters and prompt, parameters to the prompt.
        private static readonly string[] AgentParameterRoots = ["env", "variables", "steps", "workflow", "run", "agent"];
        private static readonly string[] AgentPromptRoots = ["env", "variables", "steps", "workflow", "run", "agent", "parameters"];
        private static readonly string[] AgentOnlyRoots = ["agent", "parameters", "prompt"];

        private IReadOnlyDictionary<string, IReadOnlyCollection<string>>? _implicitDependencies;

        public IReadOnlyDictionary<string, IReadOnlyCollection<string>> ImplicitDependencies =>
            _implicitDependencies ??= Binding.ImplicitDependencies.Compute(definition);

        public void Expressions()
        {
            foreach (var text in StepTexts.WorkflowEnv(definition))
            {
                Check(text, null, StepRoots, workflowEnv: true);
            }

            for (var i = 0; i < definition.Steps.Count; i++)
            {
                var step = definition.Steps[i];
                if (!StepTexts.HasBindableText(step))
                {
                    // Check ignores every other text; skipping here saves building their pointers and labels.
                    continue;
                }

                var builtIn = step.Config is ScriptStepConfig or AgentStepConfig;
                foreach (var text in StepTexts.Enumerate(step, i))
                {
                    // A custom config may use braces for its own purposes (a mustache body, a Go template); only its
                    // executor knows which values it renders with StepExecutionContext.Render, so only the condition is checked.
                    if (text.IsCondition || builtIn)
                    {
                        Check(text, step, RootsFor(step, text), workflowEnv: false);
                    }
                }
            }
        }

        private static string[] RootsFor(WorkflowStep step, StepText text) => step.Config switch
        {
            AgentStepConfig when text.Label.StartsWith("config.prompt", StringComparison.Ordinal) => AgentPromptRoots,
            AgentStepConfig when text.Label.StartsWith("config.parameters", StringComparison.Ordinal) => AgentParameterRoots,
            _ => StepRoots,
        };

        private void Check(StepText text, WorkflowStep? step, string[] roots, bool workflowEnv)
        {
            IReadOnlyList<PathReference> references;
            if (text.IsCondition)
            {
                if (!Expression.TryParse(text.Text, out var expression, out var error))
                {
                    Syntax(text, step, error);
                    return;
                }

                references = expression.References;
            }
            else
            {
                if (!Template.ContainsTemplate(text.Text))
                {
                    return;
                }

                if (!Template.TryParse(text.Text, out var template, out var error))
                {
                    Syntax(text, step, error);
                    return;
                }

                references = template.References;
            }

            foreach (var reference in references)
            {
                Reference(text, step, roots, workflowEnv, reference);
            }
        }

        private void Syntax(StepText text, WorkflowStep? step, ExpressionError error)
        {
            var what = text.IsCondition ? "condition" : $"template in {text.Label}";
            Diagnostics.Add(new Diagnostic(
                error.Code,
                DiagnosticSeverity.Error,
                $"{(step is null ? "The workflow" : Owner(step))} has an invalid {what}: {error.Message}\n{error.Format(text.Text)}",
                LocateIn(text, error.Position),
                StepIdOf(step)));
        }

        private void Reference(StepText text, WorkflowStep? step, string[] roots, bool workflowEnv, PathReference reference)
        {
            var root = reference.Root;
            if (!roots.Contains(root, StringComparer.Ordinal))
            {
                var message = AgentOnlyRoots.Contains(root, StringComparer.Ordinal)
                    ? $"{Where(step, text)} reads '{reference}', but '{root}' is not available here: the agent executor adds 'agent' to an agent step's prompt and parameters, and 'parameters' to its prompt (docs/agents.md). Here you can read {Quote(roots)}."
                    : $"{Where(step, text)} reads '{reference}', but '{root}' is not a known root.{Suggestions.DidYouMean(root, roots)} Expressions can read {Quote(roots)}.";
                Report(DiagnosticCodes.UnknownExpressionRoot, message, text, step, reference.Position);
                return;
            }

            switch (root)
            {
                case "steps" when reference.Segments.Count > 0:
                    StepReference(text, step, workflowEnv, reference);
                    break;
                case "workflow" when reference.Segments.Count > 0 && !WorkflowFields.Contains(reference.Segments[0], StringComparer.Ordinal):
                    UnknownField(text, step, reference, "workflow", WorkflowFields);
                    break;
                case "run" when reference.Segments.Count > 0 && !RunFields.Contains(reference.Segments[0], StringComparer.Ordinal):
                    UnknownField(text, step, reference, "run", RunFields);
                    break;
            }
        }

        private void StepReference(StepText text, WorkflowStep? step, bool workflowEnv, PathReference reference)
        {
            var id = reference.Segments[0];
            if (workflowEnv)
            {
                Report(DiagnosticCodes.WorkflowEnvReadsSteps,
                    $"The workflow env value {text.Label} reads '{reference}'; workflow env is rendered for every step, including those that run before '{id}'. Move it to the env of the steps that need it.",
                    text, step, reference.Position);
                return;
            }

            if (!_byId.ContainsKey(id))
            {
                var suggestion = _suggestions++ < MaxSuggestions ? Suggestions.DidYouMean(id, _byId.Keys) : string.Empty;
                Report(DiagnosticCodes.UnknownStepReference,
                    $"{Where(step, text)} reads '{reference}', but no step has the id '{id}'.{suggestion}",
                    text, step, reference.Position);
                return;
            }

            if (step is not null && string.Equals(id, step.Id, StringComparison.Ordinal))
            {
                Report(DiagnosticCodes.SelfReference,
                    $"{Where(step, text)} reads its own result '{reference}', which does not exist until the step has run. Read another step, or move this into a later step.",
                    text, step, reference.Position);
                return;
            }

            if (reference.Segments.Count > 1 && !StepFields.Contains(reference.Segments[1], StringComparer.Ordinal))
            {
                var field = reference.Segments[1];
                Report(DiagnosticCodes.UnknownExpressionField,
                    $"{Where(step, text)} reads '{reference}', but a step has no field '{field}'.{Suggestions.DidYouMean(field, StepFields)} Fields: {Quote(StepFields)}; named outputs are under steps.{id}.output.NAME.",
                    text, step, reference.Position);
            }
        }

        private void UnknownField(StepText text, WorkflowStep? step, PathReference reference, string root, string[] fields) =>
            Report(DiagnosticCodes.UnknownExpressionField,
                $"{Where(step, text)} reads '{reference}', but '{root}' has no field '{reference.Segments[0]}'.{Suggestions.DidYouMean(reference.Segments[0], fields)} Fields: {Quote(fields)}.",
                text, step, reference.Position);

        private void Report(string code, string message, StepText text, WorkflowStep? step, int position) =>
            Diagnostics.Add(new Diagnostic(code, DiagnosticSeverity.Error, message + "\n" + new ExpressionError(message, position).Format(text.Text), LocateIn(text, position), StepIdOf(step)));

        private SourceLocation? LocateIn(StepText text, int position) => _source?.LocateInValue(text.Pointer, position);

        private static string Where(WorkflowStep? step, StepText text) =>
            step is null ? $"Workflow {text.Label}" : $"{Owner(step)} {(text.IsCondition ? "condition" : text.Label)}";

        private static string? StepIdOf(WorkflowStep? step) => step is null || string.IsNullOrEmpty(step.Id) ? null : step.Id;
    }
}
