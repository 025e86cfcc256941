namespace Flowline.Expressions.Parsing;

internal enum TokenKind
{
    End,
    Identifier,
    Number,
    String,
    Dot,
    OpenBracket,
    CloseBracket,
    OpenParen,
    CloseParen,
    Comma,
    Question,
    Colon,
    Not,
    And,
    Or,
    StrictEqual,
    StrictNotEqual,
    LooseEqual,
    LooseNotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Minus,
    Plus,
    Star,
    Slash,
    Percent,
}

/// <summary>A token; <see cref="Text"/> is the identifier name or the decoded string value.</summary>
internal readonly record struct Token(TokenKind Kind, int Position, string Text, double Number = 0)
{
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of the expression",
        TokenKind.Identifier => $"'{Text}'",
        TokenKind.Number => $"number {Text}",
        TokenKind.String => "string",
        _ => $"'{Text}'",
    };
}
