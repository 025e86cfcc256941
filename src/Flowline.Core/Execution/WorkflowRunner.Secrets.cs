using Flowline.Execution.Secrets;

namespace Flowline;

public sealed partial class WorkflowRunner
{
    /// <summary>
    /// The secrets <paramref name="workflow"/> declares that have no value, neither in <paramref name="secrets"/> nor in
    /// Flowline's environment, in declaration order (issue 13). A run with any of them fails before any step starts;
    /// the CLI checks first, to exit 2.
    /// </summary>
    /// <param name="workflow">The workflow.</param>
    /// <param name="secrets">The values the run will be given (<see cref="ExecutionOptions.Secrets"/>); null for none.</param>
    /// <returns>The names without a value; empty when the run can start.</returns>
    public static IReadOnlyList<string> FindMissingSecrets(WorkflowDefinition workflow, IReadOnlyDictionary<string, string>? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return RunSecrets.Resolve(workflow, secrets ?? EmptyMap<string>.Instance).Missing;
    }
}
