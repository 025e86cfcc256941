using System.Globalization;
using System.Text;

namespace Flowline.Cli.Rendering;

/// <summary>
/// <c>flowline graph --expand</c> (issue 14): the <c>type: workflow</c> steps' children drawn inside their step, by
/// qualified id (<c>deploy/push</c>), recursively; an edge inside a child joins two of the child's steps.
/// </summary>
internal static partial class GraphRenderer
{
    private static string Expanded(WorkflowPlan plan, string format)
    {
        var sb = new StringBuilder();
        switch (format)
        {
            case "dot":
                sb.Append(CultureInfo.InvariantCulture, $"digraph \"{DotEscape(plan.Workflow.Name)}\" {{\n  rankdir=TB;\n  compound=true;\n");
                DotSteps(sb, plan, string.Empty, "  ");
                sb.Append("}\n");
                break;
            case "text":
                TextSteps(sb, plan, string.Empty, string.Empty);
                break;
            default:
                sb.Append("flowchart TD\n");
                MermaidSteps(sb, plan, string.Empty, "  ");
                break;
        }

        return sb.ToString();
    }

    private static void TextSteps(StringBuilder sb, WorkflowPlan plan, string prefix, string indent)
    {
        foreach (var level in plan.Steps.GroupBy(static s => s.Level).OrderBy(static g => g.Key))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{indent}level {level.Key}\n");
            foreach (var step in level)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{indent}  {prefix}{step.Id}");
                if (step.Dependencies.Count > 0)
                {
                    sb.Append(" <- ").Append(string.Join(", ", step.Dependencies.Select(d => prefix + d + (step.ImplicitDependencies.Contains(d, StringComparer.Ordinal) ? " (reads)" : ""))));
                }

                if (plan.Children.TryGetValue(step.Id, out var child))
                {
                    sb.Append(CultureInfo.InvariantCulture, $" [workflow {Path.GetFileName(child.FullPath)}]\n");
                    TextSteps(sb, child.Plan, prefix + step.Id + "/", indent + "    ");
                    continue;
                }

                sb.Append('\n');
            }
        }
    }

    private static void MermaidSteps(StringBuilder sb, WorkflowPlan plan, string prefix, string indent)
    {
        foreach (var step in plan.Steps)
        {
            var id = prefix + step.Id;
            if (plan.Children.TryGetValue(step.Id, out var child))
            {
                sb.Append(CultureInfo.InvariantCulture, $"{indent}subgraph {Node(id)}[\"{step.Step.Name.Replace("\"", "#quot;", StringComparison.Ordinal)}<br/><small>{id} · {Path.GetFileName(child.FullPath)}</small>\"]\n");
                MermaidSteps(sb, child.Plan, id + "/", indent + "  ");
                sb.Append(CultureInfo.InvariantCulture, $"{indent}end\n");
                continue;
            }

            sb.Append(CultureInfo.InvariantCulture, $"{indent}{Node(id)}[\"{step.Step.Name.Replace("\"", "#quot;", StringComparison.Ordinal)}<br/><small>{id}</small>\"]\n");
        }

        foreach (var step in plan.Steps)
        {
            foreach (var dependency in step.Dependencies)
            {
                var implicitRead = step.ImplicitDependencies.Contains(dependency, StringComparer.Ordinal);
                sb.Append(CultureInfo.InvariantCulture, $"{indent}{Node(prefix + dependency)} {(implicitRead ? "-. reads .->" : "-->")} {Node(prefix + step.Id)}\n");
            }
        }
    }

    private static void DotSteps(StringBuilder sb, WorkflowPlan plan, string prefix, string indent)
    {
        foreach (var step in plan.Steps)
        {
            var id = prefix + step.Id;
            if (plan.Children.TryGetValue(step.Id, out var child))
            {
                sb.Append(CultureInfo.InvariantCulture, $"{indent}subgraph \"cluster_{DotEscape(id)}\" {{\n{indent}  label=\"{DotEscape(step.Step.Name)} ({DotEscape(Path.GetFileName(child.FullPath))})\";\n");
                sb.Append(CultureInfo.InvariantCulture, $"{indent}  \"{DotEscape(id)}\" [shape=box, label=\"{DotEscape(id)}\"];\n");
                DotSteps(sb, child.Plan, id + "/", indent + "  ");
                sb.Append(CultureInfo.InvariantCulture, $"{indent}}}\n");
                continue;
            }

            sb.Append(CultureInfo.InvariantCulture, $"{indent}\"{DotEscape(id)}\" [label=\"{DotEscape(step.Step.Name)}\"];\n");
        }

        foreach (var step in plan.Steps)
        {
            foreach (var dependency in step.Dependencies)
            {
                var implicitRead = step.ImplicitDependencies.Contains(dependency, StringComparer.Ordinal);
                sb.Append(CultureInfo.InvariantCulture, $"{indent}\"{DotEscape(prefix + dependency)}\" -> \"{DotEscape(prefix + step.Id)}\"{(implicitRead ? " [style=dashed, label=\"reads\"]" : "")};\n");
            }
        }
    }

    // Qualified ids hold '/' and '-', which Mermaid reads as syntax; a node id made of the id's letters and code points avoids that.
    private static string Node(string id)
    {
        var sb = new StringBuilder("n_");
        foreach (var c in id)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('_').Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append('_');
            }
        }

        return sb.ToString();
    }

    private static string DotEscape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
