namespace Flowline.Cli.Tests.Slurm;

/// <summary>
/// The real single-node cluster that the Slurm executor's integration tests run on (issue 12) works through the test
/// fixture: a submitted job runs with its arguments and folder and leaves its output, and a license serialises jobs.
/// (sbatch sends the script's text to the controller, so it needs no execute permission.)
/// </summary>
[Collection(SlurmCollection.Name)]
[Trait(SlurmCollection.Trait, SlurmCollection.Name)]
public sealed class SlurmClusterTests
{
    [SlurmFact]
    public async Task A_submitted_script_completes_in_its_folder_with_its_arguments_and_output_file()
    {
        using var dir = new TempDir();
        var script = dir.Write("job.sh", "#!/bin/sh\nprintf '%s|%s|%s\\n' \"$1\" \"$2\" \"$PWD\"\nprintf 'to stderr\\n' >&2\n");

        var id = await SlurmCluster.SubmitAsync(
            "--job-name=flowline-test-fixture", $"--chdir={dir.Path}", $"--output={dir.File("out")}", $"--error={dir.File("err")}",
            script, "two words", "*");
        var job = await SlurmCluster.WaitForEndAsync(id);

        Assert.Equal("COMPLETED", job["JobState"]);
        Assert.Equal("0:0", job["ExitCode"]);
        Assert.Equal($"two words|*|{dir.Path}\n", File.ReadAllText(dir.File("out")));
        Assert.Equal("to stderr\n", File.ReadAllText(dir.File("err")));
        Assert.Contains(id, (await SlurmCluster.SqueueAsync("-h", "-t", "all", "-o", "%i")).Split('\n'));
    }

    [SlurmFact]
    public async Task Two_jobs_that_each_need_the_single_db_license_never_overlap()
    {
        using var dir = new TempDir();
        var script = dir.Write("hold.sh", "#!/bin/sh\ndate +%s.%N > \"$1.start\"\nsleep 1\ndate +%s.%N > \"$1.end\"\n");
        Assert.Contains("Total=1", await SlurmCluster.ScontrolAsync("show", "license", "db"), StringComparison.Ordinal);

        var first = await SlurmCluster.SubmitAsync("--licenses=db:1", "--output=/dev/null", script, dir.File("first"));
        var second = await SlurmCluster.SubmitAsync("--licenses=db:1", "--output=/dev/null", script, dir.File("second"));
        Assert.Equal("COMPLETED", (await SlurmCluster.WaitForEndAsync(first))["JobState"]);
        Assert.Equal("COMPLETED", (await SlurmCluster.WaitForEndAsync(second))["JobState"]);

        var (start1, end1) = (SlurmCluster.ReadTimestamp(dir.File("first.start")), SlurmCluster.ReadTimestamp(dir.File("first.end")));
        var (start2, end2) = (SlurmCluster.ReadTimestamp(dir.File("second.start")), SlurmCluster.ReadTimestamp(dir.File("second.end")));
        Assert.True(end1 <= start2 || end2 <= start1, $"the jobs overlapped: {start1}-{end1} and {start2}-{end2}");
    }
}
