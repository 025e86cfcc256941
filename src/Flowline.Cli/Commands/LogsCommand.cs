using System.CommandLine;
using System.Text;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>flowline logs RUN_ID [STEP] [--follow]</c>: a recorded run's step output from <c>.flowline/runs/RUN_ID/</c>.
/// One step prints its lines bare; the whole run prefixes each line with its step (<c>build | text</c>), step by
/// step in the order they started. <c>--follow</c> keeps printing new lines until the run ends.
/// </summary>
internal static class LogsCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("run-id") { Description = "The run's id, or a unique prefix of it." };
        var stepArgument = new Argument<string?>("step") { Description = "Only this step's log.", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the run ends." };
        var command = new Command("logs", "Print the step logs of a recorded run.") { id, stepArgument, follow };
        var state = StateOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await state.OpenAsync(parseResult, readOnly: true, console, cancellationToken);
            if (store is null || await RunIds.FindAsync(store, parseResult.GetValue(id)!, console, cancellationToken) is not { } run)
            {
                return ExitCodes.InvalidInput;
            }

            var step = parseResult.GetValue(stepArgument);
            if (step is not null)
            {
                var steps = await store.GetStepsAsync(run.Id, cancellationToken);
                var known = RecordedOptions.Read(run.Options).DependsOn.ContainsKey(step);
                if (!known && steps.All(s => s.StepId != step))
                {
                    await console.Error.WriteLineAsync($"error: run {run.Id} has no step '{step}'; its steps: {string.Join(", ", steps.Select(s => s.StepId))}.");
                    return ExitCodes.InvalidInput;
                }
            }

            var folder = store.Directory.RunLogDirectory(run.Id);
            var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
            var keepFollowing = parseResult.GetValue(follow);
            while (true)
            {
                // Read the status before the files, so lines written just before the run ended are still printed.
                var finished = !keepFollowing || await store.GetRunAsync(run.Id, cancellationToken) is not { Status: RunStatus.Running };
                foreach (var stepId in await StepOrderAsync(store, run.Id, folder, step, cancellationToken))
                {
                    await PrintNewLinesAsync(Path.Combine(folder, stepId + ".log"), step is null ? stepId + " | " : "", offsets, console);
                }

                if (finished)
                {
                    return ExitCodes.Success;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        });
        return command;
    }

    private static async Task<IReadOnlyList<string>> StepOrderAsync(IRunReader store, string runId, string folder, string? only, CancellationToken cancellationToken)
    {
        if (only is not null)
        {
            return [only];
        }

        var order = (await store.GetStepsAsync(runId, cancellationToken)).Select(s => s.StepId).ToList();
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.log").Order(StringComparer.Ordinal))
            {
                var stepId = Path.GetFileNameWithoutExtension(file);
                if (!order.Contains(stepId))
                {
                    order.Add(stepId);
                }
            }
        }

        return order;
    }

    // Prints whole lines appended since the last call; a line still being written waits for its newline.
    private static async Task PrintNewLinesAsync(string path, string prefix, Dictionary<string, long> offsets, CliConsole console)
    {
        if (!File.Exists(path))
        {
            return;
        }

        byte[] bytes;
        var offset = offsets.GetValueOrDefault(path);
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (stream.Length <= offset)
            {
                return;
            }

            stream.Seek(offset, SeekOrigin.Begin);
            bytes = new byte[stream.Length - offset];
            await stream.ReadExactlyAsync(bytes);
        }

        var end = Array.LastIndexOf(bytes, (byte)'\n');
        if (end < 0)
        {
            return;
        }

        offsets[path] = offset + end + 1;
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
        {
            var parsed = RunLogLine.Parse(line.TrimEnd('\r'));
            await console.Out.WriteLineAsync(prefix + parsed.Text);
        }
    }
}
