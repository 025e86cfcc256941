namespace Flowline.Expressions.Syntax;

/// <summary>Collects the paths and function names a tree reads, for validation and implicit dependencies.</summary>
internal static class ReferenceCollector
{
    public static void Collect(Node node, List<PathReference> paths, List<string> functions)
    {
        switch (node)
        {
            case RootNode or MemberNode or IndexNode:
                CollectPath(node, paths, functions);
                break;
            case CallNode call:
                if (!functions.Contains(call.Name))
                {
                    functions.Add(call.Name);
                }

                foreach (var argument in call.Arguments)
                {
                    Collect(argument, paths, functions);
                }

                break;
            case NotNode not:
                Collect(not.Operand, paths, functions);
                break;
            case BinaryNode binary:
                Collect(binary.Left, paths, functions);
                Collect(binary.Right, paths, functions);
                break;
            case LogicalNode logical:
                Collect(logical.Left, paths, functions);
                Collect(logical.Right, paths, functions);
                break;
            case ConditionalNode conditional:
                Collect(conditional.Test, paths, functions);
                Collect(conditional.WhenTrue, paths, functions);
                Collect(conditional.WhenFalse, paths, functions);
                break;
            default:
                break;
        }
    }

    private static void CollectPath(Node node, List<PathReference> paths, List<string> functions)
    {
        // Unwind the accessor chain to its base, outermost accessor first.
        var chain = new List<Node>();
        var current = node;
        while (current is MemberNode or IndexNode)
        {
            chain.Add(current);
            current = current is MemberNode m ? m.Target : ((IndexNode)current).Target;
        }

        chain.Reverse();
        foreach (var accessor in chain)
        {
            if (accessor is IndexNode index)
            {
                Collect(index.Key, paths, functions);
            }
        }

        if (current is not RootNode root)
        {
            Collect(current, paths, functions);
            return;
        }

        var segments = new List<string>();
        foreach (var accessor in chain)
        {
            var segment = accessor switch
            {
                MemberNode member => member.Name,
                IndexNode { Key: LiteralNode { Value: string key } } => key,
                IndexNode { Key: LiteralNode { Value: double number } } => ValueFormatter.FormatNumber(number),
                _ => null,
            };

            if (segment is null)
            {
                break;
            }

            segments.Add(segment);
        }

        paths.Add(new PathReference(root.Name, segments, root.Position));
    }
}
