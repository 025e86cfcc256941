using System.Globalization;
using Flowline;
using Flowline.State;

// Usage: Flowline.StateWriter.Dummy STATE_DIR PREFIX RUNS STEPS
// Opens the store, prints "ready", waits for a line on stdin (the test's start gate), records RUNS runs of
// STEPS steps each, prints "done". A RunStoreException's message goes to stderr with exit code 2.
if (args.Length != 4)
{
    await Console.Error.WriteLineAsync("usage: Flowline.StateWriter.Dummy STATE_DIR PREFIX RUNS STEPS");
    return 64;
}

var (stateDirectory, prefix) = (args[0], args[1]);
var runs = int.Parse(args[2], CultureInfo.InvariantCulture);
var steps = int.Parse(args[3], CultureInfo.InvariantCulture);

try
{
    await using var store = await SqliteRunStore.OpenAsync(new StateDirectory(stateDirectory));
    Console.WriteLine("ready");
    await Console.In.ReadLineAsync();

    for (var run = 0; run < runs; run++)
    {
        var id = $"{prefix}-{run}";
        await store.RunStartedAsync(new RunRecord
        {
            Id = id,
            WorkflowName = prefix,
            WorkflowVersion = "1.0.0",
            StartedAt = TimeProvider.System.GetUtcNow(),
        });
        for (var step = 0; step < steps; step++)
        {
            var record = new StepRecord { RunId = id, StepId = $"s{step}", Status = StepStatus.Running, Attempts = 1 };
            await store.StepChangedAsync(record);
            await store.HeartbeatAsync(id);
            await store.StepChangedAsync(record with { Status = StepStatus.Completed });
        }

        await store.RunFinishedAsync(id, RunStatus.Completed, null);
    }

    Console.WriteLine("done");
    return 0;
}
catch (RunStoreException exception)
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 2;
}
