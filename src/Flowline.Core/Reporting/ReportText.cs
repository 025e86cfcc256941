namespace Flowline.Reporting;

/// <summary>The bits of a step's captured output that the JUnit and Markdown reports quote (issue 16).</summary>
internal static class ReportText
{
    /// <summary>The last <paramref name="lines"/> lines of <paramref name="text"/>, at most <paramref name="maxChars"/> characters; empty when there is none.</summary>
    public static string Tail(string? text, int lines, int maxChars = 4096)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var trimmed = text.TrimEnd('\n', '\r');
        var start = trimmed.Length;
        for (var seen = 0; seen < lines && start > 0; seen++)
        {
            start = trimmed.LastIndexOf('\n', start - 1);
            if (start < 0)
            {
                start = 0;
                break;
            }
        }

        var tail = trimmed[(start == 0 ? 0 : start + 1)..];
        return tail.Length > maxChars ? tail[^maxChars..] : tail;
    }

    /// <summary>The first <paramref name="lines"/> lines of <paramref name="text"/>.</summary>
    public static string Head(string text, int lines)
    {
        var end = -1;
        for (var seen = 0; seen < lines; seen++)
        {
            end = text.IndexOf('\n', end + 1);
            if (end < 0)
            {
                return text.TrimEnd('\n', '\r');
            }
        }

        return text[..end].TrimEnd('\r');
    }

    /// <summary>What a report says about a step that did not complete: its error, then the tail of its stderr.</summary>
    public static string Failure(StepResult step, int stderrLines)
    {
        var error = step.Error ?? $"step {StatusName(step.Status)}";
        var stderr = Tail(step.Stderr, stderrLines);
        return stderr.Length == 0 ? error : $"{error}\n\nstderr (last lines):\n{stderr}";
    }

    public static string StatusName(StepStatus status) => SummaryReport.Name(status);
}
