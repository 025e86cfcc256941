namespace Flowline.Planning;

internal sealed partial class WorkflowPlanner
{
    private Dictionary<string, int>? _matrixPools;

    /// <summary>
    /// A matrix instance with <c>matrix.maxParallel</c> takes a unit of its matrix's own pool (issue 13), so the
    /// scheduler caps it as it caps <c>parallel.resource</c>; a matrix step left as one step fails when it would start.
    /// </summary>
    private void MatrixPlacement(PlannedStep planned)
    {
        var step = planned.Step;
        if (step.Instance is { } instance)
        {
            planned.MatrixRoot = new Dictionary<string, object?>(1, StringComparer.Ordinal) { ["matrix"] = instance.Values };
            var matrix = _definition.Steps.First(s => s.Matrix is not null && s.Id == instance.Of).Matrix!;
            if (matrix.MaxParallel is { } max and > 0)
            {
                _matrixPools ??= new Dictionary<string, int>(StringComparer.Ordinal);
                if (!_matrixPools.TryGetValue(instance.Of, out var pool))
                {
                    pool = _matrixPools[instance.Of] = _poolPlans.Count;
                    _poolPlans.Add(new ResourcePoolPlan("matrix:" + instance.Of, max));
                }

                planned.MatrixPool = pool;
            }

            return;
        }

        if (step.Matrix is { } written && _matrix!.Dynamic.TryGetValue(step.Id, out var dynamic))
        {
            // A matrix from a step's output (issue 13): its maxParallel pool is made here, where the placeholder stands,
            // so that it keeps its index when the run plans again with the instances.
            if (written.MaxParallel is { } max and > 0)
            {
                _matrixPools ??= new Dictionary<string, int>(StringComparer.Ordinal);
                _matrixPools[step.Id] = _poolPlans.Count;
                _poolPlans.Add(new ResourcePoolPlan("matrix:" + step.Id, max));
            }

            planned.DynamicMatrix = dynamic;

            // Set when the run's values would expand it beyond its limit: the run fails the step with it.
            planned.MatrixProblem = _matrix.Failures.GetValueOrDefault(step.Id);
            return;
        }

        if (step.Matrix is not null)
        {
            planned.MatrixProblem = _matrix!.Failures.TryGetValue(step.Id, out var failure)
                ? failure
                : "its matrix was not expanded before it would start";
            planned.NeedsBinding = true;
        }
    }

    private static void Deduplicate(List<Diagnostic> diagnostics)
    {
        var seen = new HashSet<(string, SourceLocation?, string)>();
        diagnostics.RemoveAll(d => !seen.Add((d.Code, d.Location, d.Message)));
    }
}
