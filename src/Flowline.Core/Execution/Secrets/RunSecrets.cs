namespace Flowline.Execution.Secrets;

/// <summary>
/// The values of a run's declared secrets (issue 13): each from <see cref="ExecutionOptions.Secrets"/>, else from
/// Flowline's own environment. The <c>secrets</c> root reads <see cref="Values"/>; <see cref="Missing"/> stops the run
/// before any step starts; no step inherits a declared name from Flowline's environment (<see cref="Names"/>), so a
/// step sees a secret only through a <c>{{ secrets.NAME }}</c> it writes itself.
/// </summary>
internal sealed class RunSecrets
{
    /// <summary>A run without declared secrets: nothing to resolve, hide or mask.</summary>
    public static readonly RunSecrets None = new(EmptyMap<object?>.Instance, [], []);

    private RunSecrets(IReadOnlyDictionary<string, object?> values, IReadOnlyList<string> missing, IReadOnlyCollection<string> names)
    {
        Values = values;
        Missing = missing;
        Names = names;
    }

    /// <summary>The <c>secrets</c> root: each declared name that has a value.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; }

    /// <summary>The declared names without a value, in declaration order.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>The declared names.</summary>
    public IReadOnlyCollection<string> Names { get; }

    /// <summary>Resolves the secrets <paramref name="workflow"/> declares.</summary>
    /// <param name="workflow">The workflow.</param>
    /// <param name="given">Values given to the run; they win over the environment.</param>
    /// <param name="environment">Reads Flowline's environment (a test passes its own).</param>
    public static RunSecrets Resolve(WorkflowDefinition workflow, IReadOnlyDictionary<string, string> given, Func<string, string?>? environment = null)
    {
        if (workflow.Secrets.Count == 0)
        {
            return None;
        }

        environment ??= System.Environment.GetEnvironmentVariable;
        var values = new Dictionary<string, object?>(workflow.Secrets.Count, StringComparer.Ordinal);
        var missing = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in workflow.Secrets)
        {
            if (!names.Add(name))
            {
                continue;
            }

            if ((given.TryGetValue(name, out var value) ? value : environment(name)) is { } found)
            {
                values[name] = found;
            }
            else
            {
                missing.Add(name);
            }
        }

        return new RunSecrets(values, missing, names);
    }

    /// <summary>The masker for a run with these secrets: every value is masked from the start.</summary>
    public SecretMasker CreateMasker() => new(Values.Values.OfType<string>());

    /// <summary>Why a run with <see cref="Missing"/> secrets cannot start, naming each and where a value comes from.</summary>
    public string MissingMessage()
    {
        var names = string.Join(", ", Missing.Select(static n => $"'{n}'"));
        var noun = Missing.Count == 1 ? "secret" : "secrets";
        return $"the {noun} {names} declared under 'secrets:' {(Missing.Count == 1 ? "has" : "have")} no value; set {(Missing.Count == 1 ? "it" : "them")} in Flowline's environment (export {Missing[0]}=...) or in a --secrets-file (ExecutionOptions.Secrets in code)";
    }
}
