using Flowline.Expressions;
using Flowline.Variables;

namespace Flowline;

/// <summary>
/// Checks the values a run is given against the workflow's <c>variables:</c> block and fills in defaults (issue 13,
/// docs/variables.md). <see cref="WorkflowRunner"/> does this before any step starts, for <c>--var</c>,
/// <c>--vars-file</c> and <see cref="ExecutionOptions.Variables"/> alike; a workflow that declares no variables takes
/// any values unchanged.
/// </summary>
public static class DeclaredVariables
{
    /// <summary>
    /// Every problem with <paramref name="given"/> at once (a wrong type or a value outside the enum, an undeclared
    /// name with a suggestion, a required variable without a value), and the values the run uses: the given ones,
    /// converted to their declared types, then the defaults of the others.
    /// </summary>
    /// <param name="workflow">The workflow and its declarations.</param>
    /// <param name="given">The values the run was given.</param>
    /// <returns>The values and the problems (codes FL1133–FL1135); the values are meaningful only without problems.</returns>
    public static VariableResolution Resolve(WorkflowDefinition workflow, IReadOnlyDictionary<string, object?> given)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(given);
        var declared = workflow.Variables;
        if (declared.Count == 0)
        {
            return new VariableResolution(given, []);
        }

        var problems = new List<Diagnostic>();
        var values = new Dictionary<string, object?>(given.Count + declared.Count, StringComparer.Ordinal);
        foreach (var (name, value) in given)
        {
            if (!declared.TryGetValue(name, out var variable))
            {
                problems.Add(new Diagnostic(DiagnosticCodes.UnknownVariable, DiagnosticSeverity.Error,
                    $"Variable '{name}' is given a value but the workflow does not declare it.{Suggestions.DidYouMean(name, declared.Keys)} Declared: {string.Join(", ", declared.Keys)}. Declare it under 'variables:' or drop the value.",
                    Locate(workflow, "/variables")));
                continue;
            }

            if (!VariableValues.TryConvert(variable.Type, value, out var typed))
            {
                problems.Add(Invalid(workflow, name, $"Variable '{name}' is a {VariableValues.TypeName(variable.Type)} but was given {VariableValues.Describe(value)}{Hint(variable.Type)}."));
                continue;
            }

            if (!VariableValues.IsAllowed(variable, typed))
            {
                problems.Add(Invalid(workflow, name,
                    $"Variable '{name}' was given {VariableValues.Describe(typed)}, which is not one of its allowed values: {VariableValues.Options(variable)}.{Suggestions.DidYouMean(VariableValues.Describe(typed).Trim('"'), (variable.Enum ?? []).Select(static o => ValueFormatter.Render(o)))}"));
                continue;
            }

            values[name] = typed;
        }

        foreach (var (name, variable) in declared)
        {
            if (given.ContainsKey(name))
            {
                continue;
            }

            if (variable.Default is not null && VariableValues.TryConvert(variable.Type, variable.Default, out var typed))
            {
                values[name] = typed;
            }
            else if (variable.Required)
            {
                problems.Add(new Diagnostic(DiagnosticCodes.MissingRequiredVariable, DiagnosticSeverity.Error,
                    $"Variable '{name}' is required but was not given; pass --var {name}=VALUE (a {VariableValues.TypeName(variable.Type)}{(variable.Description is { } d ? ": " + d : "")}).",
                    Locate(workflow, "/variables/" + Loading.YamlPointer.Escape(name))));
            }
        }

        return new VariableResolution(values, problems);
    }

    private static Diagnostic Invalid(WorkflowDefinition workflow, string name, string message) =>
        new(DiagnosticCodes.InvalidVariableValue, DiagnosticSeverity.Error, message, Locate(workflow, "/variables/" + Loading.YamlPointer.Escape(name)));

    private static string Hint(VariableType type) => type switch
    {
        VariableType.Number => "; give a number, such as --var NAME=3",
        VariableType.Boolean => "; give true or false",
        VariableType.List => "; give a list in a --vars-file",
        _ => string.Empty,
    };

    private static SourceLocation? Locate(WorkflowDefinition workflow, string pointer) => workflow.Source?.Locate(pointer);
}
