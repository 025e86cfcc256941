using System.Globalization;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Flowline.Expressions.Evaluation;
using Flowline.Expressions.Syntax;
using Flowline.Expressions.Templates;

namespace Flowline.Expressions;

/// <summary>
/// A string field with <c>{{ expression }}</c> holes, such as an agent prompt:
/// <c>Build {{variables.buildNumber}} completed. Tests: {{steps.run-tests.output.summary}}</c>.
/// Text outside the holes is literal; each hole renders by <see cref="ValueFormatter.Render"/>.
/// </summary>
public sealed class Template
{
    /// <summary>How many problems one message lists; a generated template may have thousands of holes.</summary>
    private const int MaxListed = 10;

    private readonly IReadOnlyList<TemplatePart> _parts;

    private Template(string text, IReadOnlyList<TemplatePart> parts)
    {
        Text = text;
        _parts = parts;
        References = Collect(parts, out var functions);
        FunctionsUsed = functions;
        IsLiteral = !parts.Any(p => p is HolePart);
    }

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>Whether the template has no holes; rendering it then returns <see cref="Text"/> itself.</summary>
    public bool IsLiteral { get; }

    /// <summary>Every path the holes read, in source order; positions are offsets in <see cref="Text"/>.</summary>
    public IReadOnlyList<PathReference> References { get; }

    /// <summary>The functions the holes call, each once, in order of first use.</summary>
    public IReadOnlyList<string> FunctionsUsed { get; }

    /// <summary>Whether <paramref name="text"/> contains a <c>{{</c>, i.e. is worth parsing as a template.</summary>
    /// <param name="text">A string field's value.</param>
    /// <returns><see langword="true"/> when the text contains <c>{{</c>.</returns>
    public static bool ContainsTemplate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("{{", StringComparison.Ordinal);
    }

    /// <summary>Parses <paramref name="text"/>; never throws on bad input.</summary>
    /// <param name="text">The template source.</param>
    /// <param name="template">The parsed template, on success.</param>
    /// <param name="error">What is wrong and its 0-based position in <paramref name="text"/>, on failure.</param>
    /// <returns>Whether the text is a valid template.</returns>
    public static bool TryParse(string text, [NotNullWhen(true)] out Template? template, [NotNullWhen(false)] out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!ContainsTemplate(text))
        {
            template = new Template(text, [new LiteralPart(text)]);
            error = null;
            return true;
        }

        if (TemplateParser.TryParse(text, out var parts, out error))
        {
            template = new Template(text, parts);
            return true;
        }

        template = null;
        return false;
    }

    /// <summary>
    /// Parses <paramref name="text"/> for a validator: every hole that does not parse is an error of its own, at its
    /// own position (docs/diagnostics.md: every problem at once), and the holes that do parse still name the paths
    /// they read, so their mistakes are found in the same pass.
    /// </summary>
    /// <param name="text">The template source.</param>
    /// <param name="references">The paths the holes that parse read, in source order.</param>
    /// <returns>The errors in source order; empty when the text is a valid template.</returns>
    internal static IReadOnlyList<ExpressionError> ParseEvery(string text, out IReadOnlyList<PathReference> references)
    {
        var errors = new List<ExpressionError>();
        references = Collect(TemplateParser.Parse(text, errors), out _);
        return errors;
    }

    private static List<PathReference> Collect(IReadOnlyList<TemplatePart> parts, out List<string> functions)
    {
        var paths = new List<PathReference>();
        functions = [];
        foreach (var part in parts)
        {
            if (part is HolePart hole)
            {
                ReferenceCollector.Collect(hole.Expression, paths, functions);
            }
        }

        return paths;
    }

    /// <summary>
    /// Renders the template. A hole whose value is undefined fails with a message naming the path and the
    /// fix, unless <see cref="TemplateRenderOptions.AllowUndefined"/> is set.
    /// </summary>
    /// <param name="scope">The roots, status and clock to evaluate against.</param>
    /// <param name="options">Rendering options; <see cref="TemplateRenderOptions.Default"/> when null.</param>
    /// <param name="text">The rendered text, on success.</param>
    /// <param name="error">What went wrong and how to fix it, on failure.</param>
    /// <returns>Whether rendering succeeded.</returns>
    public bool TryRender(IExpressionScope scope, TemplateRenderOptions? options, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (IsLiteral)
        {
            text = Text;
            error = null;
            return true;
        }

        options ??= TemplateRenderOptions.Default;
        var sb = new StringBuilder(Text.Length);
        List<string>? failures = null;
        foreach (var part in _parts)
        {
            if (part is LiteralPart literal)
            {
                sb.Append(literal.Text);
                continue;
            }

            // Every hole is evaluated even after one fails, so a single message names every problem (issue 19).
            var hole = (HolePart)part;
            if (!Evaluator.TryEvaluate(hole.Expression, scope, out var value, out var failure, out var evaluator))
            {
                (failures ??= []).Add($"{{{{ {hole.Source} }}}} at position {hole.Position}: {failure}");
            }
            else if (value is Undefined && !options.AllowUndefined)
            {
                (failures ??= []).Add(UndefinedMessage(hole, evaluator));
            }
            else if (failures is null)
            {
                sb.Append(ValueFormatter.Render(value));
            }
        }

        text = failures is null ? sb.ToString() : null;
        error = failures is null ? null : Failures(failures);
        return failures is null;
    }

    private static string Failures(List<string> failures)
    {
        if (failures.Count == 1)
        {
            return failures[0];
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{failures.Count} parts cannot be rendered: ");
        for (var i = 0; i < Math.Min(failures.Count, MaxListed); i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : "; ")}({i + 1}) {failures[i]}");
        }

        if (failures.Count > MaxListed)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; and {failures.Count - MaxListed} more");
        }

        return sb.ToString();
    }

    private static string UndefinedMessage(HolePart hole, Evaluator evaluator)
    {
        var path = evaluator.UndefinedPath ?? hole.Source;
        var missing = evaluator.MissingPath is { } m && m != path ? $" ({m} is not defined)" : "";
        var root = path.Split('.', '[')[0];
        var fromRoot = evaluator.UndefinedPath is not null && root.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '-');
        var name = path.Length > root.Length + 1 ? path[(root.Length + 1)..] : "NAME";
        var fix = root switch
        {
            "variables" => $"pass --var {name}=… or write {{{{ {path} || 'default' }}}}",
            "parameters" => $"pass the parameter {name} or write {{{{ {path} || 'default' }}}}",
            "env" => $"set {name} under env: in the workflow or step, or write {{{{ {path} || 'default' }}}}",
            "steps" => $"check the step id and that the step ran and produced this output, or write {{{{ {path} || 'default' }}}}",
            _ when fromRoot && !Expression.KnownRoots.Contains(root) =>
                $"'{root}' is not a known root" + (Suggestions.Closest(root, Expression.KnownRoots) is { } s ? $"; did you mean '{s}'?" : $"; use one of {string.Join(", ", Expression.KnownRoots)}"),
            _ => $"write {{{{ {hole.Source} || 'default' }}}} to give it a default, or check the path",
        };

        return $"{path} is not defined{missing}: {fix}";
    }

    /// <summary>Returns <see cref="Text"/>.</summary>
    /// <returns>The source text.</returns>
    public override string ToString() => Text;
}
