using Flowline.Loading;

namespace Flowline.Core.Tests.Loading;

/// <summary>Issue 12: <c>executor:</c>, <c>slurm:</c> at both levels and Slurm-license pools, as the loader reads them.</summary>
public sealed class SlurmYamlTests
{
    private const string Full = """
        name: Cluster
        version: 1.0.0
        executor: slurm
        slurm:
          partition: main
          account: lab
          qos: normal
          cpusPerTask: 2
          memory: 4G
          gpus: a100:2
          extraArgs: ["--exclusive", "--constraint=avx2 and more"]
          maxJobs: 50
          pollInterval: 250
          queueStatInterval: 5s
          queueTimeout: 10m
        parallel:
          resources:
            cpu: 2
            db: { size: 1, slurmLicense: dblic }
        steps:
          - id: train
            name: Train
            type: script
            executor: local
            slurm:
              memory: 512m
              gpus: 1
              queueTimeout: 30000
            config: { command: "true" }
            parallel: { resource: db }
        """;

    [Fact]
    public void Every_key_of_both_slurm_blocks_and_the_pool_map_form_are_read()
    {
        var result = WorkflowLoader.Parse(Full, "cluster.yaml");

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        var workflow = result.Definition!;
        Assert.Equal("slurm", workflow.Executor);
        Assert.Equal(
            new SlurmOptions
            {
                Partition = "main",
                Account = "lab",
                Qos = "normal",
                CpusPerTask = 2,
                MemoryMiB = 4096,
                Gpus = "a100:2",
                ExtraArgs = workflow.Slurm!.ExtraArgs,
                MaxJobs = 50,
                PollInterval = TimeSpan.FromMilliseconds(250),
                QueueStatInterval = TimeSpan.FromSeconds(5),
                QueueTimeout = TimeSpan.FromMinutes(10),
            },
            workflow.Slurm);
        Assert.Equal(["--exclusive", "--constraint=avx2 and more"], workflow.Slurm.ExtraArgs);
        Assert.Equal(new Dictionary<string, int> { ["cpu"] = 2, ["db"] = 1 }, workflow.Parallel!.Resources);
        Assert.Equal(new Dictionary<string, string> { ["db"] = "dblic" }, workflow.Parallel.SlurmLicenses);

        var step = workflow.Steps[0];
        Assert.Equal("local", step.Executor);
        Assert.Equal(new SlurmOptions { MemoryMiB = 512, Gpus = "1", QueueTimeout = TimeSpan.FromSeconds(30) }, step.Slurm);
    }

    [Fact]
    public void A_poll_interval_under_a_second_is_milliseconds_without_the_timeout_unit_warning()
    {
        var result = WorkflowLoader.Parse(Full, "cluster.yaml");

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.TimeoutWithoutUnit);
    }

    [Fact]
    public void A_queue_timeout_under_a_second_without_a_unit_warns_like_every_timeout()
    {
        var result = WorkflowLoader.Parse(Workflow("slurm: { queueTimeout: 900 }"), "flow.yaml");

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.TimeoutWithoutUnit, 3, 24), (warning.Code, warning.Location!.Line, warning.Location.Column));
        Assert.Contains("'slurm.queueTimeout'", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("512M", 512L)]
    [InlineData("512m", 512L)]
    [InlineData("4G", 4096L)]
    [InlineData("4g", 4096L)]
    [InlineData("1T", 1048576L)]
    [InlineData("2048K", 2L)]
    [InlineData("1k", 1L)]
    public void Memory_takes_a_unit_of_K_M_G_or_T_in_any_case_and_a_bare_number_is_MiB(string text, long mebibytes)
    {
        Assert.True(DefinitionReader.TryParseMemory(text, out var value));
        Assert.Equal(mebibytes, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0G")]
    [InlineData("-1G")]
    [InlineData("4GB")]
    [InlineData("4X")]
    [InlineData("1.5G")]
    [InlineData("G")]
    [InlineData("4 G")]
    [InlineData("99999999999999999T")]
    public void Memory_refuses_anything_else(string text)
    {
        Assert.False(DefinitionReader.TryParseMemory(text, out _));
    }

    [Fact]
    public void Bad_memory_on_a_step_is_an_error_at_the_value_that_shows_the_accepted_forms()
    {
        var result = WorkflowLoader.Parse(Workflow(step: "slurm: { memory: lots }"), "flow.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.InvalidMemory, 10, 22), (error.Code, error.Location!.Line, error.Location.Column));
        Assert.Contains("512M, 4G, 1T", error.Message, StringComparison.Ordinal);
        Assert.Contains("the string \"lots\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxJobs: 4")]
    [InlineData("pollInterval: 1s")]
    [InlineData("queueStatInterval: 10s")]
    public void A_run_wide_key_in_a_steps_slurm_block_is_an_error_that_says_where_it_belongs(string entry)
    {
        var result = WorkflowLoader.Parse(Workflow(step: $"slurm: {{ {entry} }}"), "flow.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.SlurmKeyWorkflowOnly, 10, 14), (error.Code, error.Location!.Line, error.Location.Column));
        Assert.Contains($"'slurm.{entry[..entry.IndexOf(':', StringComparison.Ordinal)]}' applies to the whole run", error.Message, StringComparison.Ordinal);
        Assert.Contains("step 'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("top-level 'slurm:' block", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Definition!.Steps[0].Slurm!.MaxJobs);
    }

    [Fact]
    public void An_unknown_key_in_a_steps_slurm_block_gets_did_you_mean()
    {
        var result = WorkflowLoader.Parse(Workflow(step: "slurm: { cpusPertask: 2 }"), "flow.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnknownKey, 10, 14), (error.Code, error.Location!.Line, error.Location.Column));
        Assert.Contains("in the 'slurm' block of step 'a'. Did you mean 'cpusPerTask'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_args_as_one_string_is_an_error_that_asks_for_a_list()
    {
        var result = WorkflowLoader.Parse(Workflow(step: "slurm: { extraArgs: --exclusive }"), "flow.yaml");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.WrongType, 10, 25), (error.Code, error.Location!.Line, error.Location.Column));
        Assert.Contains("never split on spaces; write a YAML list, such as extraArgs: [\"--exclusive\"]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slurm: [partition]", "the workflow 'slurm' block")]
    [InlineData("slurm: { gpus: [1, 2] }", "'slurm.gpus'")]
    [InlineData("slurm: { cpusPerTask: four }", "'slurm.cpusPerTask'")]
    [InlineData("slurm: { extraArgs: [[--a]] }", "an item of 'slurm.extraArgs'")]
    [InlineData("executor: [slurm]", "the workflow 'executor'")]
    [InlineData("parallel: { resources: { db: { size: one, slurmLicense: db } } }", "the size of resource pool 'db'")]
    [InlineData("parallel: { resources: { db: { size: 1, slurmLicense: [db] } } }", "the Slurm license of resource pool 'db'")]
    public void Values_of_the_wrong_type_are_reported_as_such(string entry, string what)
    {
        var result = WorkflowLoader.Parse(Workflow(entry), "flow.yaml");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.WrongType, error.Code);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_without_a_size_is_reported_once_and_its_steps_are_not_told_it_is_undeclared()
    {
        var result = WorkflowValidator.ValidateText(
            Workflow("parallel: { resources: { db: { slurmLicense: db } } }", step: "parallel: { resource: db }"), "flow.yaml");

        // The step runs locally, which a license pool forbids (FL1119); neither FL1108 (size 0) nor FL1109 (undeclared).
        Assert.Equal([DiagnosticCodes.MissingField, DiagnosticCodes.SlurmLicensePoolRunsLocally], result.Diagnostics.Select(d => d.Code));
        var error = result.Diagnostics[0];
        Assert.Equal((DiagnosticCodes.MissingField, 3, 30), (error.Code, error.Location!.Line, error.Location.Column));
        Assert.Contains("has no 'size'; give how many units it has, such as 'db: { size: 1, slurmLicense: db }'", error.Message, StringComparison.Ordinal);
        Assert.False(result.Plan!.CanRun);
    }

    /// <summary>A one-step workflow with <paramref name="top"/> on line 3 and <paramref name="step"/> on line 10.</summary>
    private static string Workflow(string top = "", string step = "") => $"""
        name: Flow
        version: 1.0.0
        {top}
        steps:
          - id: a
            name: A
            type: script
            config:
              command: "true"
            {step}
        """;
}
