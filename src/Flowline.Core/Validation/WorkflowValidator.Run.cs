using System.Globalization;
using Flowline.Expressions;
using Flowline.Graph;
using Flowline.Loading;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    /// <summary>The state of one validation.</summary>
    private sealed partial class Run(WorkflowValidator validator, WorkflowDefinition definition)
    {
        private readonly WorkflowSource? _source = definition.Source;
        private readonly Dictionary<string, WorkflowStep> _byId = new(definition.Steps.Count, StringComparer.Ordinal);
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
            if (definition.Parallel is { } parallel)
            {
                if (parallel.DefaultMaxConcurrency is < 1)
                {
                    Error(DiagnosticCodes.NonPositiveConcurrency, "/parallel/defaultMaxConcurrency", null,
                        $"'parallel.defaultMaxConcurrency' is {parallel.DefaultMaxConcurrency}; it must be at least 1. Use 1 to run one step at a time, or remove it to use the default.");
                }

                foreach (var (name, size) in parallel.Resources)
                {
                    if (size < 1)
                    {
                        Error(DiagnosticCodes.NonPositivePoolSize, "/parallel/resources/" + YamlPointer.Escape(name), null,
                            $"Resource pool '{name}' has size {size}; a pool needs at least 1 unit, or no step using it could ever start.");
                    }
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
            foreach (var step in definition.Steps)
            {
                Step(step);
            }

            // Second pass: a dependency may name a step further down the file.
            foreach (var step in definition.Steps)
            {
                Dependencies(step);
            }
        }

        public void Cycles()
        {
            // Reading steps.X in a condition or template is a dependency too (issue 4), so it can close a cycle.
            var graph = WorkflowGraph.Build(definition.Steps, ImplicitDependencies);
            foreach (var cycle in graph.FindCycles())
            {
                graph.TryGetIndex(cycle[0], out var index);
                var first = definition.Steps[index];
                var path = string.Join(" -> ", cycle);
                var reads = new List<string>();
                for (var i = 0; i + 1 < cycle.Count; i++)
                {
                    if (ImplicitDependencies.TryGetValue(cycle[i], out var implicitIds) && implicitIds.Contains(cycle[i + 1]))
                    {
                        reads.Add($"'{cycle[i]}' reads steps.{cycle[i + 1]}");
                    }
                }

                var implicitNote = reads.Count == 0 ? string.Empty : $" ({string.Join(", ", reads)}, which makes it wait for that step)";
                Error(DiagnosticCodes.DependencyCycle, Pointer(first, "/dependsOn"), first.Id,
                    $"Steps depend on each other in a cycle (each waits for the next): {path}{implicitNote}. None of them can ever start; remove one of these dependencies.");
            }
        }

        private void Step(WorkflowStep step)
        {
            var id = step.Id;
            var stepId = string.IsNullOrEmpty(id) ? null : id;
            if (Required(id, step, "/id", "id", null, "give the step a unique id such as 'id: build'"))
            {
                if (!IsValidId(id))
                {
                    Error(DiagnosticCodes.InvalidStepId, Pointer(step, "/id"), id,
                        $"Step id '{id}' may contain only letters, digits, '_' and '-' (ids appear in expressions such as steps.<id>.output); rename it, for example to '{Sanitize(id)}'.");
                }

                if (!_byId.TryAdd(id, step))
                {
                    var firstLine = _source?.Locate(Pointer(_byId[id], "/id"))?.Line;
                    var where = firstLine is { } line ? $" at line {line.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
                    Error(DiagnosticCodes.DuplicateStepId, Pointer(step, "/id"), id,
                        $"Step id '{id}' is already used by the step '{_byId[id].Name}'{where}; step ids must be unique, rename one of them.");
                }
            }

            Required(step.Name, step, "/name", "name", stepId, "give the step a display name such as 'name: Build'");
            var typeKnown = false;
            // The hint lists every known type: built only for a step that lacks one.
            if (!string.IsNullOrWhiteSpace(step.Type) || Required(step.Type, Pointer(step, "/type"), "type", stepId, $"use one of {Quote(validator._knownTypes)}"))
            {
                typeKnown = validator._knownTypes.Contains(step.Type, StringComparer.Ordinal);
                if (!typeKnown)
                {
                    Error(DiagnosticCodes.UnknownStepType, Pointer(step, "/type"), stepId,
                        $"Unknown step type '{step.Type}'.{Suggestions.DidYouMean(step.Type, validator._knownTypes)} Known types: {Quote(validator._knownTypes)}; other types need a registered step executor.");
                }
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
                switch (step.Config)
                {
                    case ScriptStepConfig script:
                        Required(script.Command, step, "/config/command", "command", stepId, "name the program to run, such as 'command: echo'");
                        StepTimeout(script.Timeout, step, stepId);
                        break;
                    case AgentStepConfig agent:
                        Required(agent.Agent, step, "/config/agent", "agent", stepId, "name the agent to invoke, such as 'agent: code-analyzer'");
                        StepTimeout(agent.Timeout, step, stepId);
                        break;
                }
            }

            Parallel(step, stepId);
            if (typeKnown && validator._executors.TryGetValue(step.Type, out var executor))
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

            if (parallel.Resource is { } resource
                && !(definition.Parallel?.Resources.ContainsKey(resource) ?? false))
            {
                var declared = definition.Parallel?.Resources.Keys ?? [];
                var message = declared.Any()
                    ? $"{Owner(step)} uses resource '{resource}', which 'parallel.resources' does not declare.{Suggestions.DidYouMean(resource, declared)} Declared: {Quote(declared)}."
                    : $"{Owner(step)} uses resource '{resource}', but the workflow declares no resource pools; add 'parallel: {{ resources: {{ {resource}: 1 }} }}' at the top level.";
                Error(DiagnosticCodes.UndeclaredResource, Pointer(step, "/parallel/resource"), stepId, message);
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

        private void Dependencies(WorkflowStep step)
        {
            var stepId = string.IsNullOrEmpty(step.Id) ? null : step.Id;
            var dependsOn = step.DependsOn;

            // A fan-in step may list thousands of dependencies: look for repeats in a set rather than pairwise.
            var seen = dependsOn.Count > 8 ? new HashSet<string>(dependsOn.Count, StringComparer.Ordinal) : null;
            for (var i = 0; i < dependsOn.Count; i++)
            {
                var dependency = dependsOn[i];
                if (string.Equals(dependency, step.Id, StringComparison.Ordinal))
                {
                    Error(DiagnosticCodes.SelfDependency, DependencyPointer(step, i), stepId,
                        $"{Owner(step)} depends on itself, so it could never start; remove '{dependency}' from its dependsOn.");
                }
                else if (!_byId.ContainsKey(dependency))
                {
                    var suggestion = _suggestions++ < MaxSuggestions ? Suggestions.DidYouMean(dependency, _byId.Keys) : string.Empty;
                    Error(DiagnosticCodes.UnknownDependency, DependencyPointer(step, i), stepId,
                        $"{Owner(step)} depends on '{dependency}', but no step has that id.{suggestion}");
                }

                if (seen is null ? IndexOf(dependsOn, dependency, i) >= 0 : !seen.Add(dependency))
                {
                    Diagnostics.Add(new Diagnostic(DiagnosticCodes.DuplicateDependency, DiagnosticSeverity.Warning,
                        $"{Owner(step)} lists '{dependency}' twice in dependsOn; remove the repetition.", Locate(DependencyPointer(step, i)), stepId));
                }
            }
        }

        private static int IndexOf(IReadOnlyList<string> items, string value, int count)
        {
            for (var j = 0; j < count; j++)
            {
                if (string.Equals(items[j], value, StringComparison.Ordinal))
                {
                    return j;
                }
            }

            return -1;
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

        private static string Pointer(WorkflowStep step, string suffix) => step.SourcePath + suffix;

        private static string Owner(WorkflowStep step, bool capital = true) =>
            string.IsNullOrEmpty(step.Id) ? (capital ? "A step" : "a step") : $"{(capital ? "Step" : "step")} '{step.Id}'";

        private static string DependencyPointer(WorkflowStep step, int index) =>
            Pointer(step, "/dependsOn/" + index.ToString(CultureInfo.InvariantCulture));

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
