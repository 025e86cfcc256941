using System.Diagnostics.CodeAnalysis;
using Flowline.Expressions.Evaluation;
using Flowline.Expressions.Parsing;
using Flowline.Expressions.Syntax;

namespace Flowline.Expressions;

/// <summary>
/// A parsed expression, such as a step's <c>condition</c>: <c>env.NODE_ENV === 'production' &amp;&amp; variables.deployProduction === true</c>.
/// The language is described in docs/expressions.md; it reads only its scope and never runs code.
/// </summary>
/// <remarks>
/// <para>Equality. <c>===</c> and <c>!==</c> are strict: equal only when both sides have the same kind
/// (undefined, null, boolean, number, string, list, object) and the same value; lists and objects compare
/// structurally (not by reference, unlike JavaScript).</para>
/// <para><c>==</c> and <c>!=</c> are loose, as in JavaScript for scalars: same kind compares strictly;
/// <c>null == undefined</c> is true and either is equal to nothing else; a boolean is first turned into
/// 1 or 0; a number and a string compare as numbers, the string read as a decimal number after trimming
/// (<c>''</c> is 0, anything unparsable is NaN and equal to nothing). A list or an object is never loosely
/// equal to a scalar.</para>
/// <para>Ordering. <c>&lt;</c> <c>&lt;=</c> <c>&gt;</c> <c>&gt;=</c> compare two strings ordinally; otherwise both
/// sides as numbers (null 0, booleans 1/0, undefined NaN); any NaN, list or object makes the comparison false.</para>
/// </remarks>
public sealed class Expression
{
    /// <summary>The deepest nesting of the syntax tree the parser accepts, so hostile input cannot overflow the stack.</summary>
    public const int MaxDepth = 64;

    private readonly Node _root;

    private Expression(string text, Node root)
    {
        Text = text;
        _root = root;
        var paths = new List<PathReference>();
        var functions = new List<string>();
        ReferenceCollector.Collect(root, paths, functions);
        References = paths;
        FunctionsUsed = functions;
    }

    /// <summary>
    /// The roots a workflow expression may name: <c>env</c>, <c>variables</c>, <c>steps</c>, <c>workflow</c>,
    /// <c>run</c>, <c>parameters</c>, <c>prompt</c> and <c>matrix</c>. The parser accepts any identifier so that Core can
    /// report an unknown root with a suggestion.
    /// </summary>
    public static IReadOnlyList<string> KnownRoots { get; } = ["env", "variables", "steps", "workflow", "run", "parameters", "prompt", "matrix"];

    /// <summary>The names of the built-in functions, in their canonical spelling.</summary>
    public static IReadOnlyList<string> FunctionNames => Functions.Names;

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>Every path the expression reads, in source order; see <see cref="PathReference"/>.</summary>
    public IReadOnlyList<PathReference> References { get; }

    /// <summary>The functions called, each once, in canonical spelling and order of first use.</summary>
    public IReadOnlyList<string> FunctionsUsed { get; }

    /// <summary>Parses <paramref name="text"/>; never throws on bad input.</summary>
    /// <param name="text">The expression source.</param>
    /// <param name="expression">The parsed expression, on success.</param>
    /// <param name="error">What is wrong and its 0-based position, on failure.</param>
    /// <returns>Whether the text is a valid expression.</returns>
    public static bool TryParse(string text, [NotNullWhen(true)] out Expression? expression, [NotNullWhen(false)] out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Parser.TryParse(text, 0, text.Length, out var root, out error))
        {
            expression = new Expression(text, root);
            return true;
        }

        expression = null;
        return false;
    }

    /// <summary>
    /// Evaluates the expression. A missing path is <see cref="Undefined.Value"/>, not an error; errors are
    /// run-time mistakes such as <c>fromJSON</c> of text that is not JSON.
    /// </summary>
    /// <param name="scope">The roots, status and clock to evaluate against.</param>
    /// <param name="value">The result: string, double, bool, null, <see cref="Undefined"/>, a list, an object or a JsonElement.</param>
    /// <param name="error">What went wrong, on failure.</param>
    /// <returns>Whether evaluation succeeded.</returns>
    public bool TryEvaluate(IExpressionScope scope, out object? value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Evaluator.TryEvaluate(_root, scope, out value, out error, out _);
    }

    /// <summary>JavaScript truthiness: <c>false</c>, <c>0</c>, NaN, <c>''</c>, null and undefined are falsy; everything else, including empty lists and objects, is truthy.</summary>
    /// <param name="value">A value, as returned by <see cref="TryEvaluate"/>.</param>
    /// <returns>Whether a condition with this value runs the step.</returns>
    public static bool IsTruthy(object? value) => Values.IsTruthy(Values.Normalize(value));

    /// <summary>Returns <see cref="Text"/>.</summary>
    /// <returns>The source text.</returns>
    public override string ToString() => Text;
}
