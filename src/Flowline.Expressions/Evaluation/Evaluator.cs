using System.Text;
using Flowline.Expressions.Syntax;

namespace Flowline.Expressions.Evaluation;

/// <summary>
/// Walks a syntax tree against a scope. Recursion is safe because the parser caps tree depth at
/// <see cref="Expression.MaxDepth"/>.
/// </summary>
internal sealed class Evaluator(IExpressionScope scope)
{
    /// <summary>The path of the last read that produced undefined, e.g. <c>steps.build.output.summary</c>.</summary>
    public string? UndefinedPath { get; private set; }

    /// <summary>The first part of <see cref="UndefinedPath"/> that was missing, e.g. <c>steps.build</c>.</summary>
    public string? MissingPath { get; private set; }

    public static bool TryEvaluate(Node node, IExpressionScope scope, out object? value, out string? error, out Evaluator evaluator)
    {
        evaluator = new Evaluator(scope);
        try
        {
            value = evaluator.Evaluate(node);
            error = null;
            return true;
        }
        catch (EvaluationException e)
        {
            value = null;
            error = e.Message;
            return false;
        }
    }

    private object? Evaluate(Node node) => node switch
    {
        LiteralNode literal => literal.Value,
        RootNode or MemberNode or IndexNode => Values.Normalize(EvaluatePath(node)),
        NotNode not => !Values.IsTruthy(Evaluate(not.Operand)),
        LogicalNode logical => EvaluateLogical(logical),
        BinaryNode binary => EvaluateBinary(binary),
        ArithmeticNode arithmetic => EvaluateArithmetic(arithmetic),
        NegateNode negate => -Arithmetic.Number(Evaluate(negate.Operand), "'-'", Operand(negate.Operand, "its operand")),
        ConditionalNode conditional => Values.IsTruthy(Evaluate(conditional.Test)) ? Evaluate(conditional.WhenTrue) : Evaluate(conditional.WhenFalse),
        CallNode call => EvaluateCall(call),
        _ => throw new InvalidOperationException($"Unknown syntax node {node.GetType().Name}."),
    };

    /// <summary>
    /// Evaluates a path, keeping <see cref="IStructuredText"/> values whole so that a further member read can reach
    /// their fields; <see cref="Evaluate"/> turns the final value into text.
    /// </summary>
    private object? EvaluatePath(Node node) => node switch
    {
        RootNode root => Read(root, scope.TryGetRoot(root.Name, out var value) ? Values.NormalizeTarget(value) : Undefined.Value, null),
        MemberNode member => ReadMember(member),
        IndexNode index => ReadIndex(index),
        _ => Evaluate(node),
    };

    private object? ReadMember(MemberNode member)
    {
        var target = EvaluatePath(member.Target);
        return Read(member, Values.Member(target, member.Name), target);
    }

    private object? ReadIndex(IndexNode index)
    {
        var target = EvaluatePath(index.Target);
        var key = Evaluate(index.Key);
        return Read(index, Values.Index(target, key), target);
    }

    private object? Read(Node node, object? value, object? target)
    {
        if (value is Undefined)
        {
            UndefinedPath = Describe(node);

            // Reading through something already missing keeps the first missing part for the message.
            if (target is not Undefined || MissingPath is null)
            {
                MissingPath = UndefinedPath;
            }
        }

        return value;
    }

    private object? EvaluateLogical(LogicalNode logical)
    {
        var left = Evaluate(logical.Left);
        var truthy = Values.IsTruthy(left);
        return logical.IsAnd
            ? truthy ? Evaluate(logical.Right) : left
            : truthy ? left : Evaluate(logical.Right);
    }

    private bool EvaluateBinary(BinaryNode binary)
    {
        var left = Evaluate(binary.Left);
        var right = Evaluate(binary.Right);
        return binary.Operator switch
        {
            BinaryOperator.StrictEqual => Values.StrictEquals(left, right),
            BinaryOperator.StrictNotEqual => !Values.StrictEquals(left, right),
            BinaryOperator.LooseEqual => Values.LooseEquals(left, right),
            BinaryOperator.LooseNotEqual => !Values.LooseEquals(left, right),
            _ => Values.Compare(left, right, binary.Operator),
        };
    }

    private double EvaluateArithmetic(ArithmeticNode node)
    {
        var left = Evaluate(node.Left);
        var right = Evaluate(node.Right);
        var doing = $"'{Arithmetic.Symbol(node.Operator)}'";
        return Arithmetic.Apply(
            node.Operator,
            Arithmetic.Number(left, doing, Operand(node.Left, "its left operand")),
            Arithmetic.Number(right, doing, Operand(node.Right, "its right operand")));
    }

    /// <summary>Names an operand in a message by its path when it has one, so the user sees which value was wrong.</summary>
    private static string Operand(Node node, string fallback) => node is RootNode or MemberNode or IndexNode ? Describe(node) : fallback;

    private object? EvaluateCall(CallNode call)
    {
        if (!Functions.TryGet(call.Name, out var function))
        {
            throw new InvalidOperationException($"The parser accepted unknown function {call.Name}.");
        }

        var arguments = new object?[call.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Evaluate(call.Arguments[i]);
        }

        return function.Body(scope, arguments);
    }

    /// <summary>Source-like text for a path node, for messages: <c>steps.run-tests.output['key']</c>.</summary>
    public static string Describe(Node node)
    {
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();

        static void Append(StringBuilder sb, Node node)
        {
            switch (node)
            {
                case RootNode root:
                    sb.Append(root.Name);
                    break;
                case MemberNode member:
                    Append(sb, member.Target);
                    sb.Append('.').Append(member.Name);
                    break;
                case IndexNode { Key: LiteralNode { Value: string key } } index:
                    Append(sb, index.Target);
                    sb.Append("['").Append(key.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
                    break;
                case IndexNode { Key: LiteralNode { Value: double number } } index:
                    Append(sb, index.Target);
                    sb.Append('[').Append(ValueFormatter.FormatNumber(number)).Append(']');
                    break;
                case IndexNode index:
                    Append(sb, index.Target);
                    sb.Append("[…]");
                    break;
                case CallNode call:
                    sb.Append(call.Name).Append("(…)");
                    break;
                default:
                    sb.Append("(…)");
                    break;
            }
        }
    }
}
