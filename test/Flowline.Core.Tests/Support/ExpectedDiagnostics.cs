using System.Globalization;
using System.Text.RegularExpressions;

namespace Flowline.Core.Tests.Support;

/// <summary>
/// The diagnostics a test data file expects, from its header comments, one per line:
/// <c># expect: CODE LINE:COLUMN [step=ID] [~ text the message contains]</c>.
/// </summary>
internal static partial class ExpectedDiagnostics
{
    public static IReadOnlyList<Expectation> Read(string path) =>
        [.. File.ReadLines(path)
            .Select(static line => Pattern().Match(line))
            .Where(static m => m.Success)
            .Select(static m => new Expectation(
                m.Groups["code"].Value,
                int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture),
                int.Parse(m.Groups["column"].Value, CultureInfo.InvariantCulture),
                m.Groups["step"].Success ? m.Groups["step"].Value.TrimEnd() : null,
                m.Groups["text"].Success ? m.Groups["text"].Value.Trim() : null))];

    /// <summary>The same shape for an actual diagnostic, so a failing test shows both lists side by side.</summary>
    public static string Describe(Diagnostic d) =>
        $"{d.Code} {d.Location?.Line}:{d.Location?.Column}{(d.StepId is null ? string.Empty : " step=" + d.StepId)}";

    [GeneratedRegex(@"^# expect: (?<code>FL\d{4}) (?<line>\d+):(?<column>\d+)(?: step=(?<step>[^~]+?))?(?: ~ (?<text>.*))?$")]
    private static partial Regex Pattern();

    internal sealed record Expectation(string Code, int Line, int Column, string? StepId, string? Text)
    {
        public string Describe() => $"{Code} {Line}:{Column}{(StepId is null ? string.Empty : " step=" + StepId)}";
    }
}
