using System.Globalization;
using System.Text;
using System.Xml;

namespace Flowline.Reporting;

/// <summary>
/// The JUnit XML report (issue 16, docs/reports.md "JUnit XML"): one <c>testsuite</c> per run, one <c>testcase</c>
/// per step with its time; a failed step is a <c>failure</c> with its error and the tail of its stderr, a skipped,
/// cancelled or never-run step is <c>skipped</c>. Written from the same <see cref="WorkflowResult"/> as the JSON
/// report, in the shape of the JUnit schema Jenkins and GitLab read (test/Flowline.Cli.Tests/TestData/junit-10.xsd).
/// </summary>
internal static class JunitReport
{
    private const int StderrLines = 20;

    public static string Write(WorkflowDefinition workflow, WorkflowResult result)
    {
        workflow = ReportSteps.Expand(workflow, result);
        int failures = 0, skipped = 0;
        DateTimeOffset? started = null;
        foreach (var step in workflow.Steps)
        {
            if (!result.StepResults.TryGetValue(step.Id, out var r) || IsSkipped(r))
            {
                skipped++;
            }
            else if (r.Status == StepStatus.Failed)
            {
                failures++;
            }

            if (r?.StartTime is { } start && (started is null || start < started))
            {
                started = start;
            }
        }

        // Through UTF-8 bytes, so the declaration says utf-8 (a StringWriter would make it utf-16).
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new UTF8Encoding(false) };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", Clean(workflow.Name));
            xml.WriteAttributeString("tests", Count(workflow.Steps.Count));
            xml.WriteAttributeString("failures", Count(failures));
            xml.WriteAttributeString("errors", "0");
            xml.WriteAttributeString("time", Seconds(result.ExecutionTime));

            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", Clean(workflow.Name));
            xml.WriteAttributeString("tests", Count(workflow.Steps.Count));
            xml.WriteAttributeString("failures", Count(failures));
            xml.WriteAttributeString("errors", "0");
            xml.WriteAttributeString("skipped", Count(skipped));
            xml.WriteAttributeString("time", Seconds(result.ExecutionTime));
            if (started is { } timestamp)
            {
                xml.WriteAttributeString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            }

            xml.WriteStartElement("properties");
            Property(xml, "workflow.version", workflow.Version);
            Property(xml, "workflow.status", SummaryReport.Name(result.Status));
            if (result.Error is not null)
            {
                Property(xml, "workflow.error", result.Error);
            }

            xml.WriteEndElement();

            foreach (var step in workflow.Steps)
            {
                WriteCase(xml, workflow, step, result.StepResults.GetValueOrDefault(step.Id));
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteCase(XmlWriter xml, WorkflowDefinition workflow, WorkflowStep step, StepResult? result)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", Clean(step.Id));
        xml.WriteAttributeString("classname", Clean(workflow.Name));
        xml.WriteAttributeString("time", Seconds(result?.ExecutionTime ?? TimeSpan.Zero));
        if (result is null)
        {
            Element(xml, "skipped", "not run: the run ended before this step started", body: null);
        }
        else if (IsSkipped(result))
        {
            var why = result.Status == StepStatus.Cancelled
                ? result.Error ?? "cancelled"
                : result.SkipReason ?? (result.SkippedByCondition ? "skipped: condition was false" : "skipped");
            Element(xml, "skipped", why, body: null);
        }
        else if (result.Status == StepStatus.Failed)
        {
            Element(xml, "failure", result.Error ?? "failed", ReportText.Failure(result, StderrLines), type: result.ExitCode is { } code ? $"exit code {code}" : "failed");
        }

        if (result?.Stdout is { Length: > 0 } stdout)
        {
            xml.WriteElementString("system-out", Clean(ReportText.Tail(stdout, StderrLines)));
        }

        if (result?.Stderr is { Length: > 0 } stderr)
        {
            xml.WriteElementString("system-err", Clean(ReportText.Tail(stderr, StderrLines)));
        }

        xml.WriteEndElement();
    }

    private static bool IsSkipped(StepResult result) => result.Status is StepStatus.Skipped or StepStatus.Cancelled or StepStatus.Pending;

    private static void Element(XmlWriter xml, string name, string message, string? body, string? type = null)
    {
        xml.WriteStartElement(name);
        if (type is not null)
        {
            xml.WriteAttributeString("type", type);
        }

        xml.WriteAttributeString("message", Clean(message.ReplaceLineEndings(" ")));
        if (body is not null)
        {
            xml.WriteString(Clean(body));
        }

        xml.WriteEndElement();
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Clean(value));
        xml.WriteEndElement();
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    // SUREFIRE_TIME in the schema: plain seconds with a dot.
    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    // A step's output may hold what XML 1.0 cannot carry (terminal escapes, NUL); each such character becomes U+FFFD.
    private static string Clean(string text)
    {
        var firstBad = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsXmlChar(text, i))
            {
                firstBad = i;
                break;
            }
        }

        if (firstBad < 0)
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        clean.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(text[i]).Append(text[++i]);
            }
            else
            {
                clean.Append(IsXmlChar(text, i) ? text[i] : '\uFFFD');
            }
        }

        return clean.ToString();
    }

    private static bool IsXmlChar(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i > 0 && char.IsHighSurrogate(text[i - 1]);
        }

        return XmlConvert.IsXmlChar(c);
    }
}
