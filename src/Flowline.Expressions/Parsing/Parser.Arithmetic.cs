using Flowline.Expressions.Syntax;

namespace Flowline.Expressions.Parsing;

/// <summary>
/// The arithmetic levels (issue 19), between relational and unary as in JavaScript: <c>+ -</c> bind looser than
/// <c>* / %</c>, and both are left-associative.
/// </summary>
internal sealed partial class Parser
{
    private Node ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (true)
        {
            ArithmeticOperator op;
            switch (Current.Kind)
            {
                case TokenKind.Plus: op = ArithmeticOperator.Add; break;
                case TokenKind.Minus: op = ArithmeticOperator.Subtract; break;
                default: return left;
            }

            var position = Advance().Position;
            left = Checked(new ArithmeticNode(op, left, ParseMultiplicative(), position));
        }
    }

    private Node ParseMultiplicative()
    {
        var left = ParseUnary();
        while (true)
        {
            ArithmeticOperator op;
            switch (Current.Kind)
            {
                case TokenKind.Star: op = ArithmeticOperator.Multiply; break;
                case TokenKind.Slash: op = ArithmeticOperator.Divide; break;
                case TokenKind.Percent: op = ArithmeticOperator.Remainder; break;
                default: return left;
            }

            var position = Advance().Position;
            left = Checked(new ArithmeticNode(op, left, ParseUnary(), position));
        }
    }
}
