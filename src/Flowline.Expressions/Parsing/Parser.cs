using System.Diagnostics.CodeAnalysis;
using Flowline.Expressions.Evaluation;
using Flowline.Expressions.Syntax;

namespace Flowline.Expressions.Parsing;

/// <summary>
/// Recursive descent with one function per JavaScript precedence level (lowest first):
/// <c>?:</c>, <c>||</c>, <c>&amp;&amp;</c>, equality, relational, additive, multiplicative (Parser.Arithmetic.cs),
/// unary <c>! -</c>, postfix <c>. [ ]</c>, primary.
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private int _index;
    private int _depth;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static bool TryParse(string text, int start, int end, [NotNullWhen(true)] out Node? node, [NotNullWhen(false)] out ExpressionError? error)
    {
        node = null;
        if (!Lexer.TryTokenize(text, start, end, out var tokens, out error))
        {
            return false;
        }

        // Errors unwind the recursive descent by exception; this is the only place that catches it,
        // so callers see the Try pattern and user input never escapes as an exception (STYLE rule 8).
        try
        {
            var parser = new Parser(tokens);
            if (parser.Current.Kind == TokenKind.End)
            {
                error = new ExpressionError("empty expression: write a condition such as env.NODE_ENV === 'production'", parser.Current.Position);
                return false;
            }

            node = parser.ParseConditional();
            if (parser.Current.Kind != TokenKind.End)
            {
                throw parser.Unexpected("an operator or the end of the expression");
            }

            return true;
        }
        catch (ParseException e)
        {
            error = e.Error;
            return false;
        }
    }

    private Token Current => _tokens[_index];

    private Token Advance()
    {
        var token = _tokens[_index];
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }

        return token;
    }

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        _index++;
        return true;
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected(what);
        }

        return Advance();
    }

    private T Checked<T>(T node)
        where T : Node
    {
        if (node.Depth > Expression.MaxDepth)
        {
            throw TooDeep(node.Position);
        }

        return node;
    }

    private static ParseException TooDeep(int position) => new(new ExpressionError(
        $"the expression nests more than {Expression.MaxDepth} levels deep: split it or simplify it", position)
    { Code = ErrorCodes.TooDeep });

    private void Enter()
    {
        if (++_depth > Expression.MaxDepth)
        {
            throw TooDeep(Current.Position);
        }
    }

    private Node ParseConditional()
    {
        Enter();
        var test = ParseOr();
        if (Current.Kind == TokenKind.Question)
        {
            var position = Advance().Position;
            var whenTrue = ParseConditional();
            Expect(TokenKind.Colon, "':' of the conditional 'a ? b : c'");
            var whenFalse = ParseConditional();
            test = Checked(new ConditionalNode(test, whenTrue, whenFalse, position));
        }

        _depth--;
        return test;
    }

    private Node ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == TokenKind.Or)
        {
            var position = Advance().Position;
            left = Checked(new LogicalNode(false, left, ParseAnd(), position));
        }

        return left;
    }

    private Node ParseAnd()
    {
        var left = ParseEquality();
        while (Current.Kind == TokenKind.And)
        {
            var position = Advance().Position;
            left = Checked(new LogicalNode(true, left, ParseEquality(), position));
        }

        return left;
    }

    private Node ParseEquality()
    {
        var left = ParseRelational();
        while (true)
        {
            BinaryOperator op;
            switch (Current.Kind)
            {
                case TokenKind.StrictEqual: op = BinaryOperator.StrictEqual; break;
                case TokenKind.StrictNotEqual: op = BinaryOperator.StrictNotEqual; break;
                case TokenKind.LooseEqual: op = BinaryOperator.LooseEqual; break;
                case TokenKind.LooseNotEqual: op = BinaryOperator.LooseNotEqual; break;
                default: return left;
            }

            var position = Advance().Position;
            left = Checked(new BinaryNode(op, left, ParseRelational(), position));
        }
    }

    private Node ParseRelational()
    {
        var left = ParseAdditive();
        while (true)
        {
            BinaryOperator op;
            switch (Current.Kind)
            {
                case TokenKind.Less: op = BinaryOperator.Less; break;
                case TokenKind.LessOrEqual: op = BinaryOperator.LessOrEqual; break;
                case TokenKind.Greater: op = BinaryOperator.Greater; break;
                case TokenKind.GreaterOrEqual: op = BinaryOperator.GreaterOrEqual; break;
                default: return left;
            }

            var position = Advance().Position;
            left = Checked(new BinaryNode(op, left, ParseAdditive(), position));
        }
    }

    private Node ParseUnary()
    {
        if (Current.Kind == TokenKind.Not)
        {
            Enter();
            var position = Advance().Position;
            var node = Checked(new NotNode(ParseUnary(), position));
            _depth--;
            return node;
        }

        if (Current.Kind == TokenKind.Minus)
        {
            // A negative number literal is folded, so '-7' costs nothing at evaluation and renders as before.
            if (_tokens[_index + 1].Kind == TokenKind.Number)
            {
                var literal = Advance().Position;
                return ParsePostfix(new LiteralNode(-Advance().Number, literal));
            }

            Enter();
            var position = Advance().Position;
            var node = Checked(new NegateNode(ParseUnary(), position));
            _depth--;
            return node;
        }

        return ParsePostfix(ParsePrimary());
    }

    private Node ParsePostfix(Node node)
    {
        while (true)
        {
            if (Current.Kind == TokenKind.Dot)
            {
                Advance();
                var name = Expect(TokenKind.Identifier, "a member name after '.'");
                node = Checked(new MemberNode(node, name.Text, name.Position));
            }
            else if (Current.Kind == TokenKind.OpenBracket)
            {
                var position = Advance().Position;
                var key = ParseConditional();
                Expect(TokenKind.CloseBracket, "']'");
                node = Checked(new IndexNode(node, key, position));
            }
            else if (Current.Kind == TokenKind.OpenParen)
            {
                throw new ParseException(new ExpressionError(
                    "only built-in functions can be called, by name: write contains(x, 'y') rather than x.contains('y')", Current.Position));
            }
            else
            {
                return node;
            }
        }
    }

    private Node ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new LiteralNode(token.Number, token.Position);
            case TokenKind.String:
                Advance();
                return new LiteralNode(token.Text, token.Position);
            case TokenKind.OpenParen:
                {
                    Advance();
                    var inner = ParseConditional();
                    Expect(TokenKind.CloseParen, "')'");
                    return inner;
                }

            case TokenKind.Identifier:
                Advance();
                switch (token.Text)
                {
                    case "true": return new LiteralNode(true, token.Position);
                    case "false": return new LiteralNode(false, token.Position);
                    case "null": return new LiteralNode(null, token.Position);
                    case "undefined": return new LiteralNode(Undefined.Value, token.Position);
                    default: break;
                }

                return Current.Kind == TokenKind.OpenParen ? ParseCall(token) : new RootNode(token.Text, token.Position);
            default:
                throw Unexpected("a value, a path or '('");
        }
    }

    private CallNode ParseCall(Token name)
    {
        if (!Functions.TryGet(name.Text, out var function))
        {
            var suggestion = Suggestions.Closest(name.Text, Functions.Names, ignoreCase: true);
            var hint = suggestion is null ? $"the functions are {string.Join(", ", Functions.Names)}" : $"did you mean '{suggestion}'?";
            throw new ParseException(new ExpressionError($"unknown function '{name.Text}': {hint}", name.Position) { Code = ErrorCodes.UnknownFunction });
        }

        Enter();
        Advance();
        var arguments = new List<Node>();
        if (Current.Kind != TokenKind.CloseParen)
        {
            do
            {
                arguments.Add(ParseConditional());
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.CloseParen, arguments.Count == 0 ? "')'" : "',' or ')'");
        _depth--;

        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
        {
            throw new ParseException(new ExpressionError(
                $"{function.Name}() takes {function.ArityText} but was given {arguments.Count}: {function.Usage}", name.Position)
            { Code = ErrorCodes.Arity });
        }

        if (Functions.CheckLiteralArguments(function.Name, arguments) is { } literalError)
        {
            throw new ParseException(literalError);
        }

        return Checked(new CallNode(function.Name, arguments, name.Position));
    }

    /// <summary>
    /// A '-' right before the unexpected token is most likely a hyphen meant as part of a name (<c>steps.run-.x</c>,
    /// <c>steps.run-</c>), so the error points at it and explains the naming rule rather than blaming the next token.
    /// </summary>
    private ParseException Unexpected(string expected) => _index > 0 && _tokens[_index - 1].Kind == TokenKind.Minus
        ? new(new ExpressionError(
            $"unexpected '-' before {Current.Describe()}: subtraction needs a value on each side, and a hyphen is part of a name only between letters or digits, as in steps.run-tests",
            _tokens[_index - 1].Position))
        : new(new ExpressionError($"unexpected {Current.Describe()}: expected {expected}", Current.Position));

    private sealed class ParseException(ExpressionError error) : Exception(error.Message)
    {
        public ExpressionError Error { get; } = error;
    }
}
