using System.Globalization;
using Flowline.Expressions;

namespace Flowline.Core.Tests.Binding;

/// <summary>
/// The expression language cannot reference Core, so toNumber/toBoolean/toString mirror the <c>--var</c> typing rule
/// (<see cref="VariablesFile.ParseValue"/>); this table keeps the two in step (issue 19).
/// </summary>
public sealed class VarConversionAgreementTests
{
    public static TheoryData<string> Inputs =>
    [
        "true", "false", "42", "-3", "0", "-0", "2.5", "-3.5", "0.25", "1e+21", "1e-7", "0.000001", "12345678901234",
        "9007199254740993", "1.10", "007", "1e5", ".5", "+5", " 42", "1.2.0", "main", "", "null", "True", "NaN", ".inf",
        "0x1F", "1,000",
    ];

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Conversion_functions_agree_with_how_a_var_value_is_typed(string text)
    {
        var typed = VariablesFile.ParseValue(text);

        // Whatever --var made of the text, toString renders it back exactly as it was passed.
        Assert.Equal(text, Evaluate("toString(variables.typed)", text, typed));

        var number = TryEvaluate("toNumber(variables.raw)", text, typed);
        switch (typed)
        {
            case long or double:
                Assert.Equal(Convert.ToDouble(typed, CultureInfo.InvariantCulture), number);
                break;
            case bool b:
                Assert.Equal(b, Evaluate("toBoolean(variables.raw)", text, typed));
                break;
            default:
                // --var keeps text that is not a canonical number; toNumber may still read it ('007' → 7), but then the
                // number renders differently, which is exactly why --var kept the text.
                Assert.True(number is not double n || ValueFormatter.Render(n) != text, $"--var kept '{text}' as text, yet toNumber reads it as {number}");
                break;
        }
    }

    private static object? Evaluate(string expression, string raw, object? typed) =>
        TryEvaluate(expression, raw, typed) is { } value ? value : throw new Xunit.Sdk.XunitException($"{expression} failed for '{raw}'");

    private static object? TryEvaluate(string expression, string raw, object? typed)
    {
        Assert.True(Expression.TryParse(expression, out var parsed, out var parseError), parseError?.Message);
        var scope = new DictionaryScope(new Dictionary<string, object?>
        {
            ["variables"] = new Dictionary<string, object?> { ["raw"] = raw, ["typed"] = typed },
        });
        return parsed.TryEvaluate(scope, out var value, out _) ? value : null;
    }
}
