namespace Flowline.Expressions.Syntax;

/// <summary>
/// A node of the immutable syntax tree. <see cref="Depth"/> is computed on construction so the parser
/// can refuse trees that would make the recursive evaluator overflow the stack.
/// </summary>
/// <param name="Position">The 0-based offset in the source text where the node starts.</param>
internal abstract record Node(int Position)
{
    public abstract int Depth { get; }
}

/// <summary>A string, number, boolean, null or undefined literal.</summary>
internal sealed record LiteralNode(object? Value, int Position) : Node(Position)
{
    public override int Depth => 1;
}

/// <summary>A bare identifier at the start of a path: <c>env</c>, <c>variables</c>, <c>steps</c>, ….</summary>
internal sealed record RootNode(string Name, int Position) : Node(Position)
{
    public override int Depth => 1;
}

/// <summary><c>target.name</c>; the name may contain inner hyphens (<c>steps.run-tests</c>).</summary>
internal sealed record MemberNode(Node Target, string Name, int Position) : Node(Position)
{
    public override int Depth { get; } = Target.Depth + 1;
}

/// <summary><c>target[key]</c>: dictionary key or list index.</summary>
internal sealed record IndexNode(Node Target, Node Key, int Position) : Node(Position)
{
    public override int Depth { get; } = Math.Max(Target.Depth, Key.Depth) + 1;
}

/// <summary>A call of a built-in function; the name is canonical (as registered).</summary>
internal sealed record CallNode(string Name, IReadOnlyList<Node> Arguments, int Position) : Node(Position)
{
    public override int Depth { get; } = Arguments.Count == 0 ? 1 : Arguments.Max(a => a.Depth) + 1;
}

/// <summary><c>!operand</c>.</summary>
internal sealed record NotNode(Node Operand, int Position) : Node(Position)
{
    public override int Depth { get; } = Operand.Depth + 1;
}

/// <summary>A comparison: equality or relational.</summary>
internal sealed record BinaryNode(BinaryOperator Operator, Node Left, Node Right, int Position) : Node(Position)
{
    public override int Depth { get; } = Math.Max(Left.Depth, Right.Depth) + 1;
}

/// <summary><c>+ - * / %</c> on numbers (docs/expressions.md "Arithmetic").</summary>
internal sealed record ArithmeticNode(ArithmeticOperator Operator, Node Left, Node Right, int Position) : Node(Position)
{
    public override int Depth { get; } = Math.Max(Left.Depth, Right.Depth) + 1;
}

/// <summary>Unary <c>-operand</c> on anything but a number literal (which the parser folds).</summary>
internal sealed record NegateNode(Node Operand, int Position) : Node(Position)
{
    public override int Depth { get; } = Operand.Depth + 1;
}

/// <summary><c>&amp;&amp;</c> or <c>||</c>, short-circuiting and returning an operand as JavaScript does.</summary>
internal sealed record LogicalNode(bool IsAnd, Node Left, Node Right, int Position) : Node(Position)
{
    public override int Depth { get; } = Math.Max(Left.Depth, Right.Depth) + 1;
}

/// <summary><c>test ? whenTrue : whenFalse</c>.</summary>
internal sealed record ConditionalNode(Node Test, Node WhenTrue, Node WhenFalse, int Position) : Node(Position)
{
    public override int Depth { get; } = Math.Max(Test.Depth, Math.Max(WhenTrue.Depth, WhenFalse.Depth)) + 1;
}

internal enum BinaryOperator
{
    StrictEqual,
    StrictNotEqual,
    LooseEqual,
    LooseNotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal enum ArithmeticOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
}
