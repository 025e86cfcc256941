using System.Globalization;
using Flowline.Expressions;
using Flowline.Planning;
using static Flowline.DiagnosticText;
using Flowline.Loading;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    /// <summary>The state of one validation.</summary>
    private sealed partial class Run(WorkflowValidator validator, WorkflowDefinition definition, WorkflowPlan plan)
    {
        private readonly WorkflowSource? _source = definition.Source;
        private int _suggestions;

        public List<Diagnostic> Diagnostics { get; } = [];

        public void Workflow()
        {
            Required(definition.Name, "/name", "name", null, "give the workflow a name, such as 'name: Build and test'");
            if (Required(definition.Version, "/version", "version", null, "give a semantic version, such as 'version: 1.0.0'")
                && !SemanticVersion().IsMatch(definition.Version))
            {
                var hint = definition.Version.StartsWith('v') ? $" Drop the leading 'v': '{definition.Version[1..]}'."
                    : definition.Version.Count(static c => c == '.') < 2 ? $" Write all three parts, such as '{definition.Version}.0'."
                    : string.Empty;
                Error(DiagnosticCodes.InvalidVersion, "/version", null,
                    $"Version '{definition.Version}' is not a semantic version: write MAJOR.MINOR.PATCH with an optional -pre-release and +build (1.0.0, 1.2.0-beta.1).{hint}");
            }

            Timeout(definition.Timeout, "/timeout", null, "The workflow timeout");
            EnvNames(definition.Env, "/env", null, "the workflow 'env'");
            if (definition.Slurm is { } slurm)
            {
                Slurm(slurm, "/slurm", null, null);
            }

            Variables();
            SecretNames();
            if (definition.Parallel is { } parallel)
            {
                if (parallel.DefaultMaxConcurrency is < 1)
                {
                    Error(DiagnosticCodes.NonPositiveConcurrency, "/parallel/defaultMaxConcurrency", null,
                        $"'parallel.defaultMaxConcurrency' is {parallel.DefaultMaxConcurrency}; it must be at least 1. Use 1 to run one step at a time, or remove it to use the default.");
                }

            }

            if (definition.Steps.Count == 0)
            {
                if (_source is null || !_source.Contains("/steps"))
                {
                    Error(DiagnosticCodes.MissingField, "/steps", null, "Missing required field 'steps': a workflow needs a list of at least one step.");
                }
                else if (!_source.WasRejected("/steps"))
                {
                    Error(DiagnosticCodes.NoSteps, "/steps", null, "The workflow has no steps; add at least one under 'steps:'.");
                }
            }
        }

        public void Steps()
        {
            foreach (var step in plan.Steps)
            {
                // A later matrix instance would repeat its first's findings word for word (issue 13).
                if (!IsRepeat(step.Step))
                {
                    Step(step);
                }
            }
        }

        private void Step(PlannedStep planned)
        {
            var step = planned.Step;
            var traits = planned.Traits;
            var id = step.Id;
            var stepId = string.IsNullOrEmpty(id) ? null : id;
            if (Required(id, step, "/id", "id", null, "give the step a unique id such as 'id: build'"))
            {
                if (!IsValidId(id))
                {
                    Error(DiagnosticCodes.InvalidStepId, Pointer(step, "/id"), id,
                        $"Step id '{id}' may contain only letters, digits, '_' and '-' (ids appear in expressions such as steps.<id>.output); rename it, for example to '{Sanitize(id)}'.");
                }

            }

            Required(step.Name, step, "/name", "name", stepId, "give the step a display name such as 'name: Build'");
            // The hint lists every known type: built only for a step that lacks one. An unknown type is the plan's to report.
            if (string.IsNullOrWhiteSpace(step.Type))
            {
                Required(step.Type, Pointer(step, "/type"), "type", stepId, $"use one of {Quote(validator._registry.KnownTypes)}");
            }

            var configPointer = _source is null ? null : Pointer(step, "/config");
            var hasConfig = _source is null || step.SourcePath is null || _source.Contains(configPointer!);
            if (!hasConfig)
            {
                Error(DiagnosticCodes.MissingField, step.SourcePath!, stepId,
                    $"{Owner(step)} is missing its required field 'config'{ConfigHint(step.Type)}.");
            }
            else if (_source?.WasRejected(configPointer!) != true)
            {
                foreach (var (field, value, hint) in step.Config.RequiredFields())
                {
                    Required(value, step, "/config/" + field, field, stepId, hint);
                }

                ConfigTimeout(step, traits, stepId);
            }

            EnvNames(step, traits, stepId);

            Parallel(step, stepId);
            if (step.Slurm is { } slurm)
            {
                Slurm(slurm, step.SourcePath + "/slurm", step, stepId);
            }

            Retry(step, stepId);
            Cache(step, stepId);
            if (planned.Executor is { } executor && (validator._executors.Contains(executor) || executor is Execution.Nested.WorkflowStepExecutor))
            {
                Custom(step, stepId, executor);
            }
        }

        private void Parallel(WorkflowStep step, string? stepId)
        {
            if (step.Parallel is not { } parallel)
            {
                return;
            }

            if (parallel.MaxConcurrency is < 1)
            {
                Error(DiagnosticCodes.NonPositiveConcurrency, Pointer(step, "/parallel/maxConcurrency"), stepId,
                    $"'parallel.maxConcurrency' of {Owner(step, capital: false)} is {parallel.MaxConcurrency}; it must be at least 1 (1 runs the step alone).");
            }

        }

        private void Custom(WorkflowStep step, string? stepId, StepExecutor executor)
        {
            var location = Locate(Pointer(step, "/config"));
            try
            {
                foreach (var diagnostic in executor.Validate(step))
                {
                    Diagnostics.Add(diagnostic with
                    {
                        Location = diagnostic.Location ?? location,
                        StepId = diagnostic.StepId ?? stepId,
                    });
                }
            }
#pragma warning disable CA1031 // A custom executor is user code: its failure becomes a diagnostic (STYLE rule 10).
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Diagnostics.Add(new Diagnostic(DiagnosticCodes.ExecutorValidationFailed, DiagnosticSeverity.Error,
                    $"The '{step.Type}' step executor ({executor.GetType().Name}) threw while validating step '{step.Id}': {exception.Message}",
                    location, stepId));
            }
        }

        /// <summary>Reports a missing or empty required field; true when the value is present.</summary>
        private bool Required(string value, string pointer, string field, string? stepId, string hint)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return true;
            }

            // The loader already said the value had the wrong type; "missing" would be a second, wrong, report.
            if (_source?.WasRejected(pointer) == true)
            {
                return false;
            }

            var owner = stepId is not null ? $"Step '{stepId}'" : pointer.StartsWith("/steps/", StringComparison.Ordinal) ? "A step" : "The workflow";
            var present = _source?.Contains(pointer) ?? value is not null;
            var message = present
                ? $"{owner} has an empty '{field}'; {hint}."
                : $"{owner} is missing its required field '{field}'; {hint}.";
            Error(DiagnosticCodes.MissingField, pointer, stepId, message);
            return false;
        }

        /// <summary>
        /// <see cref="Required(string, string, string, string?, string)"/> for a field of <paramref name="step"/>; the
        /// pointer is built only when the value is missing, since every step of a large file passes (issue 7, B5).
        /// </summary>
        private bool Required(string value, WorkflowStep step, string suffix, string field, string? stepId, string hint) =>
            !string.IsNullOrWhiteSpace(value) || Required(value, Pointer(step, suffix), field, stepId, hint);

        /// <summary>The step's timeout as its traits give it (issue 11: the engine enforces every step's): a duration, positive.</summary>
        private void ConfigTimeout(WorkflowStep step, StepTraits traits, string? stepId)
        {
            if (!step.Config.HasReadableTimeout())
            {
                Error(DiagnosticCodes.InvalidDuration, Pointer(step, "/config/timeout"), stepId,
                    $"The timeout of {Owner(step, capital: false)} is not a duration; write {Durations.AcceptedForms}.");
                return;
            }

            StepTimeout(traits.Timeout, step, stepId);
        }

        private void StepTimeout(TimeSpan? timeout, WorkflowStep step, string? stepId)
        {
            if (timeout is { } value && value <= TimeSpan.Zero)
            {
                Timeout(value, Pointer(step, "/config/timeout"), stepId, $"The timeout of {Owner(step, capital: false)}");
            }
        }

        private void Timeout(TimeSpan? timeout, string pointer, string? stepId, string what)
        {
            if (timeout is { } value && value <= TimeSpan.Zero)
            {
                Error(DiagnosticCodes.NonPositiveTimeout, pointer, stepId,
                    $"{what} is {Durations.FormatMilliseconds(value)}; a timeout must be positive. Remove it for no timeout, or give milliseconds or a duration such as 30s.");
            }
        }

        private void Error(string code, string pointer, string? stepId, string message) =>
            Diagnostics.Add(new Diagnostic(code, DiagnosticSeverity.Error, message, Locate(pointer), stepId));

        private SourceLocation? Locate(string pointer) => _source?.Locate(pointer);


        private static string ConfigHint(string type) => type switch
        {
            "script" => ", such as 'config: { command: echo, args: [hello] }'",
            "agent" => ", such as 'config: { agent: code-analyzer, prompt: \"...\" }'",
            _ => string.Empty,
        };

        private static string Sanitize(string id)
        {
            var chars = id.Select(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-').ToArray();
            var result = new string(chars).Trim('-');
            return result.Length == 0 ? "step-1" : result;
        }
    }
}
