using System.Text;

namespace Flowline.Cli.Rendering;

/// <summary>
/// Renders a valid workflow's dependency graph as Mermaid, Graphviz dot or plain text, grouped by level. Implicit
/// dependencies (a step whose condition or templates read <c>steps.X</c> waits for X) are drawn dashed, or marked
/// <c>(reads)</c> in text. A step that does not run locally carries its backend, <c>[slurm]</c> (issue 12).
/// </summary>
internal static partial class GraphRenderer
{
    public static string Render(WorkflowPlan plan, string format, bool expand = false)
    {
        if (expand && plan.Children.Count > 0)
        {
            return Expanded(plan, format);
        }

        var definition = plan.Workflow;
        var graph = new Edges(plan);
        bool IsImplicit(int step, int dependency) => plan.Steps[step].ImplicitDependencies.Contains(graph.Ids[dependency], StringComparer.Ordinal);
        var byLevel = plan.Steps
            .GroupBy(s => s.Level, s => s.Index)
            .OrderBy(g => g.Key)
            .ToList();

        string Marker(int step) => plan.Steps[step].Backend is "local" ? string.Empty : $" [{plan.Steps[step].Backend}]";
        return format switch
        {
            "dot" => Dot(definition, graph, byLevel, IsImplicit, Marker),
            "text" => Text(definition, graph, byLevel, IsImplicit, Marker),
            _ => Mermaid(definition, graph, byLevel, IsImplicit, Marker),
        };
    }

    private static string Mermaid(WorkflowDefinition definition, Edges graph, List<IGrouping<int, int>> byLevel, Func<int, int, bool> isImplicit, Func<int, string> marker)
    {
        var sb = new StringBuilder();
        sb.Append("flowchart TD\n");
        foreach (var level in byLevel)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  subgraph level{level.Key}[\"level {level.Key}\"]\n");
            foreach (var i in level)
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"    {NodeId(i)}[\"{Escape(definition.Steps[i].Name)}<br/><small>{definition.Steps[i].Id}{marker(i)}</small>\"]\n");
            }

            sb.Append("  end\n");
        }

        for (var i = 0; i < graph.Count; i++)
        {
            foreach (var d in graph.Dependencies[i])
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {NodeId(d)} {(isImplicit(i, d) ? "-. reads .->" : "-->")} {NodeId(i)}\n");
            }
        }

        return sb.ToString();

        static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);
    }

    private static string Dot(WorkflowDefinition definition, Edges graph, List<IGrouping<int, int>> byLevel, Func<int, int, bool> isImplicit, Func<int, string> marker)
    {
        var sb = new StringBuilder();
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"digraph \"{Escape(definition.Name)}\" {{\n  rankdir=TB;\n");
        foreach (var level in byLevel)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  subgraph cluster_level{level.Key} {{\n    label=\"level {level.Key}\";\n");
            foreach (var i in level)
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"    \"{Escape(definition.Steps[i].Id)}\" [label=\"{Escape(definition.Steps[i].Name + marker(i))}\"];\n");
            }

            sb.Append("  }\n");
        }

        for (var i = 0; i < graph.Count; i++)
        {
            foreach (var d in graph.Dependencies[i])
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  \"{Escape(graph.Ids[d])}\" -> \"{Escape(graph.Ids[i])}\"{(isImplicit(i, d) ? " [style=dashed, label=\"reads\"]" : "")};\n");
            }
        }

        sb.Append("}\n");
        return sb.ToString();

        static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
    }

    private static string Text(WorkflowDefinition definition, Edges graph, List<IGrouping<int, int>> byLevel, Func<int, int, bool> isImplicit, Func<int, string> marker)
    {
        var sb = new StringBuilder();
        foreach (var level in byLevel)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"level {level.Key}\n");
            foreach (var i in level)
            {
                var deps = graph.Dependencies[i];
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {definition.Steps[i].Id}{marker(i)}");
                if (deps.Length > 0)
                {
                    sb.Append(" <- ").Append(string.Join(", ", deps.Select(d => isImplicit(i, d) ? graph.Ids[d] + " (reads)" : graph.Ids[d])));
                }

                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>The plan's edges by step index, for drawing.</summary>
    private sealed class Edges
    {
        public Edges(WorkflowPlan plan)
        {
            Ids = [.. plan.Steps.Select(static s => s.Id)];
            Dependencies = [.. plan.Steps.Select(s => s.Dependencies.Select(id => plan.TryGetStep(id, out var d) ? d.Index : -1).Where(static d => d >= 0).ToArray())];
        }

        public IReadOnlyList<string> Ids { get; }

        public IReadOnlyList<int[]> Dependencies { get; }

        public int Count => Ids.Count;
    }

    // Step ids may contain '-', which Mermaid reads as an edge; index-based node ids avoid that.
    private static string NodeId(int index) => "s" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
