using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline runs</c>: the run history, newest first, as a table or <c>--json</c>; <c>flowline runs prune</c>
/// deletes old runs and their logs (issue #6).
/// </summary>
internal static class RunsCommand
{
    public static Command Create(CliConsole console)
    {
        var workflow = new Option<string?>("--workflow") { Description = "Only runs of the workflow with this name." };
        var status = new Option<string?>("--status") { Description = "Only runs with this status: running, completed, failed, cancelled or interrupted." };
        var limit = new Option<int>("--limit") { Description = "At most this many runs (0 for all).", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table." };
        var command = new Command("runs", "List recorded runs, newest first.") { workflow, status, limit, json, PruneCommand(console) };
        var state = StateOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            RunStatus? wanted = null;
            if (parseResult.GetValue(status) is { } statusText)
            {
                if (!RunText.TryParseStatus(statusText, out var parsed))
                {
                    await console.Error.WriteLineAsync($"error: --status '{statusText}' is not a run status; use running, completed, failed, cancelled or interrupted.");
                    return ExitCodes.InvalidInput;
                }

                wanted = parsed;
            }

            if (parseResult.GetValue(limit) < 0)
            {
                await console.Error.WriteLineAsync("error: --limit must be 0 (all) or more.");
                return ExitCodes.InvalidInput;
            }

            IReadOnlyList<RunRecord> runs = [];
            var durations = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal);
            if (!state.IsEmpty(parseResult))
            {
                await using var store = await state.OpenAsync(parseResult, readOnly: true, console, cancellationToken);
                if (store is null)
                {
                    return ExitCodes.InvalidInput;
                }

                runs = await store.ListRunsAsync(
                    new RunQuery { Workflow = parseResult.GetValue(workflow), Status = wanted, Limit = parseResult.GetValue(limit) },
                    cancellationToken);

                // A run that never ended lasted to its last sign of life, which may be a step's time (issue 18).
                foreach (var run in runs)
                {
                    durations[run.Id] = run.FinishedAt is null && !parseResult.GetValue(json)
                        ? RunText.Duration(run, await store.GetStepsAsync(run.Id, cancellationToken))
                        : RunText.Duration(run, []);
                }
            }

            await console.Out.WriteAsync(parseResult.GetValue(json) ? Json(runs) : Table(runs, durations));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command PruneCommand(CliConsole console)
    {
        var keep = new Option<int?>("--keep") { Description = "Keep the newest N runs and delete the rest." };
        var olderThan = new Option<string?>("--older-than") { Description = "Delete runs started longer ago than this: 30d, 12h, 90m…" };
        var command = new Command("prune", "Delete old runs and their logs (a run still in progress is never deleted).") { keep, olderThan };
        var state = StateOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var keepCount = parseResult.GetValue(keep);
            TimeSpan? age = null;
            if (parseResult.GetValue(olderThan) is { } ageText)
            {
                if (!TryParseAge(ageText, out var parsed))
                {
                    await console.Error.WriteLineAsync($"error: --older-than '{ageText}' is not an age; use days (30d), or {Durations.AcceptedForms}.");
                    return ExitCodes.InvalidInput;
                }

                age = parsed;
            }

            if (keepCount is null && age is null)
            {
                await console.Error.WriteLineAsync("error: say what to prune: --keep N (keep the newest N runs) or --older-than AGE (such as 30d).");
                return ExitCodes.InvalidInput;
            }

            if (keepCount < 0)
            {
                await console.Error.WriteLineAsync("error: --keep must be 0 or more.");
                return ExitCodes.InvalidInput;
            }

            if (state.IsEmpty(parseResult))
            {
                await console.Out.WriteLineAsync("pruned 0 runs");
                return ExitCodes.Success;
            }

            await using var store = await state.OpenAsync(parseResult, readOnly: false, console, cancellationToken);
            if (store is null)
            {
                return ExitCodes.InvalidInput;
            }

            var deleted = await store.PruneAsync(new RunPruneOptions { Keep = keepCount, OlderThan = age }, cancellationToken);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"pruned {deleted.Count} run{(deleted.Count == 1 ? "" : "s")}"));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static bool TryParseAge(string text, out TimeSpan age)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith('d') && int.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            age = TimeSpan.FromDays(days);
            return true;
        }

        return Durations.TryParse(trimmed, out age);
    }

    private static string Table(IReadOnlyList<RunRecord> runs, Dictionary<string, TimeSpan?> durations)
    {
        if (runs.Count == 0)
        {
            return "No runs recorded.\n";
        }

        var rows = new List<string[]> { new[] { "ID", "WORKFLOW", "STATUS", "STARTED", "DURATION", "STARTED BY" } };
        foreach (var run in runs)
        {
            rows.Add([
                run.Id,
                run.WorkflowName,
                RunText.Status(run.Status),
                RunText.Time(run.StartedAt),
                durations.GetValueOrDefault(run.Id) is { } duration ? Durations.Format(duration) : "-",
                RunText.StartedBy(run),
            ]);
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Json(IReadOnlyList<RunRecord> runs)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var run in runs)
            {
                json.WriteStartObject();
                json.WriteString("id", run.Id);
                json.WriteString("workflow", run.WorkflowName);
                json.WriteString("version", run.WorkflowVersion);
                json.WriteString("status", RunText.Status(run.Status));
                json.WriteString("startedAt", run.StartedAt);
                WriteTime(json, "finishedAt", run.FinishedAt);
                WriteTime(json, "heartbeatAt", run.HeartbeatAt);
                if (run.Error is null)
                {
                    json.WriteNull("error");
                }
                else
                {
                    json.WriteString("error", run.Error);
                }

                if (run.WorkflowPath is null)
                {
                    json.WriteNull("path");
                }
                else
                {
                    json.WriteString("path", run.WorkflowPath);
                }

                WriteText(json, "origin", run.Origin);
                WriteText(json, "startedBy", run.StartedBy);
                if (run.Options.TryGetValue("resumedFrom", out var resumedFrom))
                {
                    json.WritePropertyName("resumedFrom");
                    resumedFrom.WriteTo(json);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteText(Utf8JsonWriter json, string name, string? text)
    {
        if (text is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, text);
        }
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteString(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
