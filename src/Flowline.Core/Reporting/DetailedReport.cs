using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flowline.Reporting;

/// <summary>
/// The detailed JSON report (docs/reports.md), written with <see cref="Utf8JsonWriter"/> so it needs no reflection
/// (the CLI may be trimmed or compiled ahead of time). Property order is fixed; every step of the workflow is listed.
/// </summary>
internal static class DetailedReport
{
    private const int MaxDepth = 32;

    public static string Write(WorkflowDefinition workflow, WorkflowResult result)
    {
        workflow = ReportSteps.Expand(workflow, result);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, MaxDepth = MaxDepth + 8 }))
        {
            json.WriteStartObject();
            json.WriteStartObject("workflow");
            json.WriteString("name", workflow.Name);
            json.WriteString("version", workflow.Version);
            json.WriteEndObject();
            json.WriteBoolean("success", result.Status == WorkflowStatus.Completed);
            json.WriteString("status", SummaryReport.Name(result.Status));
            json.WriteNumber("executionTime", Milliseconds(result.ExecutionTime));
            WriteNullableString(json, "error", result.Error);

            json.WriteStartObject("stepResults");
            foreach (var step in workflow.Steps)
            {
                json.WriteStartObject(step.Id);
                if (result.StepResults.TryGetValue(step.Id, out var r))
                {
                    WriteStep(json, r);
                }
                else
                {
                    json.WriteString("status", "pending");
                    json.WriteBoolean("success", false);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();

            json.WriteStartObject("parallelStats");
            json.WriteNumber("totalGroups", result.ParallelStats.TotalGroups);
            json.WriteNumber("maxConcurrentSteps", result.ParallelStats.MaxConcurrentSteps);
            json.WriteStartObject("resourceUtilization");
            foreach (var (name, utilization) in result.ParallelStats.ResourceUtilization)
            {
                json.WriteNumber(name, Math.Round(utilization, 4));
            }

            json.WriteEndObject();
            json.WriteEndObject();

            var tokens = TokenUsage.Of(result);
            json.WriteStartObject("tokenUsage");
            json.WriteNumber("inputTokens", tokens.InputTokens);
            json.WriteNumber("outputTokens", tokens.OutputTokens);
            json.WriteNumber("totalTokens", tokens.TotalTokens);
            json.WriteNumber("agentSteps", tokens.Steps);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteStep(Utf8JsonWriter json, StepResult r)
    {
        json.WriteString("status", SummaryReport.Name(r.Status));
        json.WriteBoolean("success", r.Success);
        json.WritePropertyName("output");
        WriteValue(json, r.Output, 0);
        json.WriteStartObject("outputs");
        foreach (var (name, value) in Binding.StepOutput.Named(r))
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();
        WriteNullableString(json, "error", r.Error);
        json.WriteNumber("executionTime", Milliseconds(r.ExecutionTime));
        json.WriteNumber("parallelGroup", r.ParallelGroup);
        WriteNullableTime(json, "startTime", r.StartTime);
        WriteNullableTime(json, "endTime", r.EndTime);
        json.WriteNumber("attempts", r.Attempts);
        if (r.ExitCode is { } exitCode)
        {
            json.WriteNumber("exitCode", exitCode);
        }
        else
        {
            json.WriteNull("exitCode");
        }

        WriteNullableString(json, "skipReason", r.SkipReason);
        json.WriteBoolean("cached", r.Cached);
        WriteNullableString(json, "cacheReason", r.Cache?.Reason);
        json.WritePropertyName("metadata");
        WriteValue(json, r.Metadata, 0);
    }

    private static long Milliseconds(TimeSpan duration) => (long)Math.Round(duration.TotalMilliseconds);

    private static void WriteNullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNullableTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, time);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>Plain values (the shapes <see cref="StepConfig.Raw"/> uses) and JSON trees; anything else as its text.</summary>
    internal static void WriteValue(Utf8JsonWriter json, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            json.WriteStringValue("…");
            return;
        }

        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int or long or short or sbyte or byte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                json.WriteNumberValue(u);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case DateTimeOffset time:
                json.WriteStringValue(time);
                break;
            case DateTime time:
                json.WriteStringValue(time);
                break;
            case Guid guid:
                json.WriteStringValue(guid);
                break;
            case TimeSpan span:
                json.WriteNumberValue(Milliseconds(span));
                break;
            case Enum e:
                json.WriteStringValue(e.ToString());
                break;
            case JsonElement element:
                element.WriteTo(json);
                break;
            case JsonNode node:
                node.WriteTo(json);
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                json.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    json.WritePropertyName(key);
                    WriteValue(json, item, depth + 1);
                }

                json.WriteEndObject();
                break;
            case IDictionary dictionary:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    WriteValue(json, entry.Value, depth + 1);
                }

                json.WriteEndObject();
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(json, item, depth + 1);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
