using System.Diagnostics;
using System.Text;
using Flowline.Expressions.Tests.Support;

namespace Flowline.Expressions.Tests;

/// <summary>
/// Random and hostile input through both parsers and the evaluator: nothing throws, nothing overflows the
/// stack, and every input finishes quickly. Seeded, so a failure reproduces.
/// </summary>
public sealed class FuzzTests
{
    private const string Alphabet = "abz_$-.[]()'\"\\{}!=<>&|?:,0129 eE\tu\n" + "✓⇶";

    private static readonly string[] Fragments =
    [
        "steps", "variables", "env", ".", "-", "run-tests", "[", "]", "(", ")", "'", "\"", "\\", "{{", "}}", "===",
        "!==", "==", "!=", "&&", "||", "!", "?", ":", ",", "<=", ">=", "contains(", "format(", "fromJSON(", "toJSON(",
        "now()", "success()", "true", "null", "undefined", "1e", "1.5", "-3", " ", "\\u00", "length", "[0]", "'a'",

        // Issue 19: arithmetic, the function library, patterns and random.
        "+", "*", "/", "%", " - ", "1e308", "0", "divide(", "round(", "floor(", "add(", "matches(", "'(a+)+$'", "'[z-a]'",
        "random(", "formatDate(", "addDays(", "date()", "timestamp()", "joinPath(", "fileExt(", "substring(", "at(",
        "slice(", "default(", "toNumber(", "toBoolean(", "empty(", "workflow.startTime",
    ];

    [Fact]
    public void Random_strings_never_make_parsing_or_evaluation_throw()
    {
        var random = new Random(20260104);
        var scope = TestScope.Create();
        for (var i = 0; i < 4000; i++)
        {
            var text = i % 2 == 0 ? RandomChars(random, random.Next(0, 60)) : RandomFragments(random, random.Next(1, 25));
            Exercise(text, scope);
        }
    }

    [Fact]
    public void Mutations_of_valid_expressions_never_make_parsing_or_evaluation_throw()
    {
        var random = new Random(7);
        var scope = TestScope.Create();
        var seeds = CaseFile.Load("evaluation.txt").Select(row => (string)row[0]).ToList();
        for (var i = 0; i < 4000; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Count)]);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0: text.Insert(at, Fragments[random.Next(Fragments.Length)]); break;
                    case 1 when at < text.Length: text.Remove(at, 1); break;
                    default: text.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                }
            }

            Exercise(text.ToString(), scope);
            Exercise("x {{ " + text + " }} y", scope);
        }
    }

    public static TheoryData<string, string> HostileInputs => new()
    {
        { "100000 open parentheses", new string('(', 100_000) },
        { "100000 balanced parentheses", new string('(', 100_000) + "1" + new string(')', 100_000) },
        { "100000 negations", new string('!', 100_000) + "true" },
        { "100000 member accesses", "a" + string.Concat(Enumerable.Repeat(".b", 100_000)) },
        { "100000 index accesses", "a" + string.Concat(Enumerable.Repeat("[0]", 100_000)) },
        { "100000 nested brackets", "a" + new string('[', 100_000) },
        { "100000 or operators", string.Join(" || ", Enumerable.Repeat("a", 100_000)) },
        { "100000 nested conditionals", string.Concat(Enumerable.Repeat("a ? b : ", 100_000)) + "c" },
        { "100000 nested calls", string.Concat(Enumerable.Repeat("upper(", 100_000)) + "'a'" + new string(')', 100_000) },
        { "100000 comparisons", string.Join(" === ", Enumerable.Repeat("1", 100_000)) },
        { "one megabyte identifier", new string('a', 1_000_000) },
        { "one megabyte hyphenated name", string.Concat(Enumerable.Repeat("a-", 500_000)) + "a" },
        { "one megabyte number", new string('9', 1_000_000) },
        { "one megabyte unterminated string", "'" + new string('x', 1_000_000) },
        { "one megabyte of backslashes in a string", "'" + new string('\\', 1_000_000) },
        { "unterminated double-quoted string", "\"abc" },
        { "open braces", "{{{{" },
        { "100000 open braces", new string('{', 100_000) },
        { "50000 holes", string.Concat(Enumerable.Repeat("{{a}}", 50_000)) },
        { "50000 unclosed holes", string.Concat(Enumerable.Repeat("{{ '", 50_000)) },
        { "a hole of 100000 parentheses", "{{" + new string('(', 100_000) + "}}" },
        { "a lone surrogate", "'\ud800' === \udc00" },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Hostile_input_is_rejected_or_evaluated_quickly_without_throwing(string description, string text)
    {
        var scope = TestScope.Create();
        var stopwatch = Stopwatch.StartNew();

        Exercise(text, scope);
        Exercise("{{ " + text + " }}", scope);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"{description} took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Nesting_up_to_the_limit_parses_and_evaluates()
    {
        var text = new string('(', Expression.MaxDepth - 1) + "variables.gitCommit" + new string(')', Expression.MaxDepth - 1);

        Assert.True(Expression.TryParse(text, out var expression, out var error), error?.Message);
        Assert.True(expression.TryEvaluate(TestScope.Create(), out var value, out _));
        Assert.Equal("abc123", value);
    }

    private static void Exercise(string text, IExpressionScope scope)
    {
        if (Expression.TryParse(text, out var expression, out var error))
        {
            _ = expression.References;
            _ = expression.TryEvaluate(scope, out var value, out _);
            _ = ValueFormatter.Render(value);
            _ = Expression.IsTruthy(value);
        }
        else
        {
            Assert.InRange(error.Position, 0, text.Length);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            _ = error.Format(text);
        }

        if (Template.TryParse(text, out var template, out var templateError))
        {
            _ = template.TryRender(scope, null, out _, out _);
            _ = template.TryRender(scope, new TemplateRenderOptions { AllowUndefined = true }, out _, out _);
        }
        else
        {
            Assert.InRange(templateError.Position, 0, text.Length);
            _ = templateError.Format(text);
        }
    }

    private static string RandomChars(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    private static string RandomFragments(Random random, int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Append(Fragments[random.Next(Fragments.Length)]);
        }

        return sb.ToString();
    }
}
