using System.Text.Json.Nodes;
using Flowline.State;

namespace Flowline.Server.Api;

/// <summary>
/// A run's graph for the page: every step as a node and every dependency as an edge, the implied ones (a step that
/// reads <c>steps.X</c>) marked. The edges come from the plan of the run's file when it still validates, which knows
/// the implied dependencies; otherwise from the <c>dependsOn</c> the run recorded.
/// </summary>
internal sealed class RunGraph
{
    public (JsonArray Nodes, JsonArray Edges) Build(RunRecord run, IReadOnlyList<StepRecord> steps)
    {
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var edges = new JsonArray();
        var plan = run.WorkflowPath is { } path && File.Exists(path) ? new WorkflowRunner().ValidateFile(path).Plan : null;
        if (plan is not null && plan.CanRun)
        {
            foreach (var step in plan.Steps)
            {
                Add(step.Id);
                foreach (var dependency in step.Dependencies)
                {
                    edges.Add((JsonNode)Edge(dependency, step.Id, step.ImplicitDependencies.Contains(dependency, StringComparer.Ordinal)));
                }
            }
        }
        else
        {
            foreach (var (step, dependencies) in RecordedOptions.Read(run.Options).DependsOn)
            {
                Add(step);
                foreach (var dependency in dependencies)
                {
                    edges.Add((JsonNode)Edge(dependency, step, isImplicit: false));
                }
            }
        }

        foreach (var step in steps)
        {
            Add(step.StepId);
        }

        return (new JsonArray([.. ids.Select(id => (JsonNode)id)]), edges);

        void Add(string id)
        {
            if (seen.Add(id))
            {
                ids.Add(id);
            }
        }
    }

    private static JsonObject Edge(string from, string to, bool isImplicit) =>
        new() { ["from"] = from, ["to"] = to, ["implicit"] = isImplicit };
}
