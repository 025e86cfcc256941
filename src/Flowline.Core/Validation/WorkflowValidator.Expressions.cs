using Flowline.Planning;
using static Flowline.DiagnosticText;
using Flowline.Expressions;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    /// <summary>Conditions and templates (issue 4): syntax, roots, step ids and fields, each at its line and column.</summary>
    private sealed partial class Run
    {
        private static readonly string[] StepFields = ["output", "stdout", "stderr", "exitCode", "success", "status", "error", "skipReason", "executionTime"];
        private static readonly string[] WorkflowFields = ["name", "version", "startTime", "currentStepId"];
        private static readonly string[] RunFields = ["id"];
        private static readonly string[] StepRoots = ["env", "variables", "secrets", "steps", "workflow", "run"];
        private static readonly string[] AgentOnlyRoots = ["agent", "parameters", "prompt"];

        /// <summary>Checks the references of every condition and checked template the plan parsed (syntax errors are the plan's).</summary>
        public void Expressions()
        {
            foreach (var text in plan.WorkflowEnv)
            {
                Check(text, null, workflowEnv: true);
            }

            foreach (var step in plan.Steps)
            {
                if (IsRepeat(step.Step))
                {
                    continue;
                }

                if (step.Condition is { } condition)
                {
                    Check(condition, step.Step, workflowEnv: false);
                }

                foreach (var text in step.Templates)
                {
                    // A custom config may use braces for its own purposes (a mustache body, a Go template); only its
                    // executor knows which values it renders, so it marks those texts unchecked (StepTemplate.Checked).
                    if (text.Checked)
                    {
                        Check(text, step.Step, workflowEnv: false);
                    }
                }
            }
        }

        private void Check(PlannedText text, WorkflowStep? step, bool workflowEnv)
        {
            var roots = text.ExtraRoots.Count == 0 ? StepRoots : [.. StepRoots, .. text.ExtraRoots];
            if (step is { Instance: not null } or { Matrix: not null })
            {
                roots = [.. roots, "matrix"];
            }

            // A template with broken holes (the plan reports each) still has its other holes checked, so one pass names
            // every problem (docs/diagnostics.md); a condition that does not parse has nothing more to check.
            foreach (var reference in text.CheckableReferences)
            {
                Reference(text, step, roots, workflowEnv, reference);
            }
        }

        private void Reference(PlannedText text, WorkflowStep? step, IReadOnlyList<string> roots, bool workflowEnv, PathReference reference)
        {
            var root = reference.Root;
            if (!roots.Contains(root))
            {
                if (root == "matrix")
                {
                    Report(DiagnosticCodes.UnknownMatrixValue,
                        $"{Where(step, text)} reads '{reference}', but only a step with a 'matrix:' block has 'matrix' values. Add a matrix to {(step is null ? "a step" : Owner(step, capital: false))}, or read another root ({Quote(roots)}).",
                        text, step, reference.Position);
                    return;
                }

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
                case "secrets":
                    SecretReference(text, step, reference);
                    break;
                case "matrix" when reference.Segments.Count > 0:
                    MatrixReference(text, step!, reference);
                    break;
                case "workflow" when reference.Segments.Count > 0 && !WorkflowFields.Contains(reference.Segments[0], StringComparer.Ordinal):
                    UnknownField(text, step, reference, "workflow", WorkflowFields);
                    break;
                case "variables" when reference.Segments.Count > 0 && definition.Variables.Count > 0 && !definition.Variables.ContainsKey(reference.Segments[0]):
                    Report(DiagnosticCodes.UndeclaredVariable,
                        $"{Where(step, text)} reads '{reference}', but the workflow declares no variable '{reference.Segments[0]}'.{Suggestions.DidYouMean(reference.Segments[0], definition.Variables.Keys)} Declare it under 'variables:' (declared: {Quote(definition.Variables.Keys)}).",
                        text, step, reference.Position);
                    break;
                case "run" when reference.Segments.Count > 0 && !RunFields.Contains(reference.Segments[0], StringComparer.Ordinal):
                    UnknownField(text, step, reference, "run", RunFields);
                    break;
            }
        }

        private void StepReference(PlannedText text, WorkflowStep? step, bool workflowEnv, PathReference reference)
        {
            var id = reference.Segments[0];
            if (workflowEnv)
            {
                Report(DiagnosticCodes.WorkflowEnvReadsSteps,
                    $"The workflow env value {text.Label} reads '{reference}'; workflow env is rendered for every step, including those that run before '{id}'. Move it to the env of the steps that need it.",
                    text, step, reference.Position);
                return;
            }

            var isMatrix = plan.MatrixGroups.ContainsKey(id) || (plan.TryGetStep(id, out var read) && read.DynamicMatrix is not null);
            if (!isMatrix && !plan.TryGetStep(id, out _))
            {
                var suggestion = _suggestions++ < MaxSuggestions ? Suggestions.DidYouMean(id, plan.Steps.Select(static s => s.Id)) : string.Empty;
                Report(DiagnosticCodes.UnknownStepReference,
                    $"{Where(step, text)} reads '{reference}', but no step has the id '{id}'.{suggestion}",
                    text, step, reference.Position);
                return;
            }

            if (step is not null && (string.Equals(id, step.Id, StringComparison.Ordinal) || string.Equals(id, step.Instance?.Of, StringComparison.Ordinal)))
            {
                Report(DiagnosticCodes.SelfReference,
                    $"{Where(step, text)} reads its own result '{reference}', which does not exist until the step has run. Read another step, or move this into a later step.",
                    text, step, reference.Position);
                return;
            }

            if (reference.Segments.Count > 1 && !StepFields.Contains(reference.Segments[1], StringComparer.Ordinal)
                && !(isMatrix && reference.Segments[1] == "instances"))
            {
                var field = reference.Segments[1];
                Report(DiagnosticCodes.UnknownExpressionField,
                    $"{Where(step, text)} reads '{reference}', but a step has no field '{field}'.{Suggestions.DidYouMean(field, StepFields)} Fields: {Quote(StepFields)}; named outputs are under steps.{id}.output.NAME.",
                    text, step, reference.Position);
            }
        }

        private void UnknownField(PlannedText text, WorkflowStep? step, PathReference reference, string root, string[] fields) =>
            Report(DiagnosticCodes.UnknownExpressionField,
                $"{Where(step, text)} reads '{reference}', but '{root}' has no field '{reference.Segments[0]}'.{Suggestions.DidYouMean(reference.Segments[0], fields)} Fields: {Quote(fields)}.",
                text, step, reference.Position);

        private void Report(string code, string message, PlannedText text, WorkflowStep? step, int position) =>
            Diagnostics.Add(new Diagnostic(code, DiagnosticSeverity.Error, message + "\n" + new ExpressionError(message, position).Format(text.Text), LocateIn(text, position), StepIdOf(step)));

        private SourceLocation? LocateIn(PlannedText text, int position) => _source?.LocateInValue(text.Pointer, position);

        private static string Where(WorkflowStep? step, PlannedText text) =>
            step is null ? $"Workflow {text.Label}" : $"{Owner(step)} {(text.IsCondition ? "condition" : text.Label)}";

    }
}
