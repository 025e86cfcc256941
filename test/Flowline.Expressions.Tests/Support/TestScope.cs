using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Flowline.Expressions.Tests.Support;

/// <summary>The fixed scope the case files are evaluated against.</summary>
internal static class TestScope
{
    public static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private static readonly JsonElement FetchOutput = JsonDocument.Parse("""
        {"items":[{"name":"first","tags":["x","y"]},{"name":"second"}],"count":2,"key with space":"v","nested":{"n":null},"ok":true,"ratio":0.25}
        """).RootElement.Clone();

    public static Dictionary<string, object?> Roots() => new()
    {
        ["env"] = new Dictionary<string, string>
        {
            ["NODE_ENV"] = "production",
            ["API_URL"] = "https://api.example.com",
            ["EMPTY"] = "",
        },
        ["variables"] = new Dictionary<string, object?>
        {
            ["buildNumber"] = 42,
            ["gitCommit"] = "abc123",
            ["deployProduction"] = true,
            ["count"] = "5",
            ["zero"] = 0,
            ["pi"] = 3.5m,
            ["big"] = 12345678901234L,
            ["flag"] = "true",
            ["list"] = new List<object?> { "a", "b", "c" },
            ["numbers"] = new[] { 1, 2, 3 },
            ["padded"] = "  Flow Line  ",
            ["nothing"] = null,
            ["obj"] = new Dictionary<string, object?> { ["a"] = 1, ["b"] = "x" },
            ["json"] = """{"a":[1,2],"b":"it's"}""",
            ["csv"] = "x,y,z",
            ["quote"] = "say \"hi\" <b>",
        },
        ["steps"] = new Dictionary<string, object?>
        {
            ["run-tests"] = new Dictionary<string, object?>
            {
                ["success"] = false,
                ["output"] = new Dictionary<string, object?> { ["summary"] = "12 passed, 1 failed" },
            },
            ["build-project"] = new Dictionary<string, object?> { ["success"] = true, ["output"] = "built ok" },
            ["fetch"] = new Dictionary<string, object?> { ["success"] = true, ["output"] = FetchOutput },
            ["2-deploy"] = new Dictionary<string, object?> { ["success"] = true },
        },
        ["workflow"] = new Dictionary<string, object?> { ["name"] = "release", ["version"] = "1.0.0" },
        ["run"] = new Dictionary<string, object?> { ["id"] = "run-1" },
        ["parameters"] = new Dictionary<string, object?> { ["target"] = "staging" },
        ["prompt"] = "Summarise the build",
    };

    public static DictionaryScope Create(ExpressionStatus status = default) =>
        new(Roots(), status, new FakeTimeProvider(Now));
}
