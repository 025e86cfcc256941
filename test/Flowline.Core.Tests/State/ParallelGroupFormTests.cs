using System.Text.Json;
using Flowline.State;
using Microsoft.Data.Sqlite;
using static Flowline.Core.Tests.State.StoreFixtures;

namespace Flowline.Core.Tests.State;

/// <summary>
/// A step's parallel group was a string until issue 11 made it an <c>int?</c>: what older Flowlines wrote must still
/// load, and what this one writes must still load in them (docs/state.md "The database", "Snapshots").
/// </summary>
public sealed class ParallelGroupFormTests : IDisposable
{
    private const string OldSnapshot = """
        {
          "formatVersion": 1,
          "runId": "01OLD",
          "workflowName": "build",
          "workflowVersion": "1.0.0",
          "status": "failed",
          "steps": [
            { "stepId": "compile", "status": "completed", "attempts": 1, "parallelGroup": "0" },
            { "stepId": "test", "status": "failed", "attempts": 1, "parallelGroup": "1" },
            { "stepId": "lint", "status": "skipped", "parallelGroup": "lint" },
            { "stepId": "deploy", "status": "pending" }
          ]
        }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_snapshot_written_with_string_groups_loads_with_whole_number_groups()
    {
        var snapshot = WorkflowSnapshot.FromJson(OldSnapshot);

        Assert.Equal([0, 1, null, null], snapshot.Steps.Select(step => step.ParallelGroup));
        Assert.Equal([StepStatus.Completed, StepStatus.Failed, StepStatus.Skipped, StepStatus.Pending], snapshot.Steps.Select(step => step.Status));
    }

    [Fact]
    public void A_snapshot_with_number_groups_loads_too()
    {
        var snapshot = WorkflowSnapshot.FromJson(OldSnapshot.Replace("\"parallelGroup\": \"1\"", "\"parallelGroup\": 1", StringComparison.Ordinal));

        Assert.Equal(1, snapshot.Steps[1].ParallelGroup);
    }

    [Fact]
    public void A_snapshot_writes_its_groups_as_strings_so_older_readers_still_load_it()
    {
        var snapshot = WorkflowSnapshot.FromJson(OldSnapshot);

        using var document = JsonDocument.Parse(snapshot.ToJson());
        var steps = document.RootElement.GetProperty("steps");

        Assert.Equal("1", steps[1].GetProperty("parallelGroup").GetString());
        Assert.False(steps[3].TryGetProperty("parallelGroup", out _));
    }

    [Fact]
    public async Task A_database_row_holds_the_group_as_text_and_old_text_rows_read_back()
    {
        await using var store = await SqliteRunStore.OpenAsync(_folder.StateDirectory, timeProvider: Clock());
        await store.RunStartedAsync(Run("R", Start));
        await store.StepChangedAsync(Step("R", "compile") with { ParallelGroup = 3 });
        await store.StepChangedAsync(Step("R", "hand-edited") with { ParallelGroup = null });
        Execute("UPDATE steps SET parallel_group = 'build' WHERE step_id = 'hand-edited';");

        var steps = await store.GetStepsAsync("R");

        Assert.Equal("3", Scalar("SELECT parallel_group FROM steps WHERE step_id = 'compile';"));
        Assert.Equal([3, null], steps.Select(step => step.ParallelGroup));
        Assert.Equal([3, null], (await store.LoadSnapshotAsync("R"))!.Steps.Select(step => step.ParallelGroup));
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_folder.StateDirectory.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql) => _ = Scalar(sql);
}
