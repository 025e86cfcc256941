using BenchmarkDotNet.Attributes;
using Flowline.Expressions;

namespace Flowline.Benchmarks;

/// <summary>Parse and evaluate representative conditions and <c>{{ }}</c> templates (spec "Conditional Execution", "Templates").</summary>
public class ExpressionBenchmarks
{
    private const string Condition = "env.NODE_ENV === 'production' && variables.deployProduction === true";
    private const string StepCondition = "steps.build.status == 'completed' && steps.test.output.failures == 0 || variables.force";
    private const string TemplateText = "Summary: {{steps.run-tests.output.summary}} ({{variables.branch}})";

    private Expression _condition = null!;
    private Expression _stepCondition = null!;
    private Template _template = null!;
    private DictionaryScope _scope = null!;

    [GlobalSetup]
    public void Setup()
    {
        _condition = ParseExpression(Condition);
        _stepCondition = ParseExpression(StepCondition);
        _template = Template.TryParse(TemplateText, out var template, out var error)
            ? template
            : throw new InvalidOperationException(error.ToString());
        _scope = new DictionaryScope(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["env"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["NODE_ENV"] = "production" },
            ["variables"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["deployProduction"] = true,
                ["force"] = false,
                ["branch"] = "main",
            },
            ["steps"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["build"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["status"] = "completed" },
                ["test"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["output"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["failures"] = 0 },
                },
                ["run-tests"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["output"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["summary"] = "412 passed, 0 failed" },
                },
            },
        });
        if (!EvaluateCondition() || !EvaluateStepCondition() || RenderTemplate() != "Summary: 412 passed, 0 failed (main)")
        {
            throw new InvalidOperationException("the benchmark expressions do not evaluate as expected");
        }
    }

    [Benchmark]
    public Expression ParseCondition() => ParseExpression(Condition);

    [Benchmark]
    public Template ParseTemplate() =>
        Template.TryParse(TemplateText, out var template, out var error) ? template : throw new InvalidOperationException(error.ToString());

    [Benchmark]
    public bool EvaluateCondition() => Evaluate(_condition);

    [Benchmark]
    public bool EvaluateStepCondition() => Evaluate(_stepCondition);

    [Benchmark]
    public string RenderTemplate() =>
        _template.TryRender(_scope, null, out var text, out var error) ? text : throw new InvalidOperationException(error);

    private bool Evaluate(Expression expression) =>
        expression.TryEvaluate(_scope, out var value, out var error)
            ? Expression.IsTruthy(value)
            : throw new InvalidOperationException(error);

    private static Expression ParseExpression(string text) =>
        Expression.TryParse(text, out var expression, out var error) ? expression : throw new InvalidOperationException(error.ToString());
}
