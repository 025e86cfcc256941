using Flowline.Core.Tests.Support;
using Json.Schema;

namespace Flowline.Core.Tests.Schema;

/// <summary>The editor schema and the validator must not drift apart: both accept every example and both reject the broken files.</summary>
public sealed class SchemaTests
{
    private static readonly Lazy<JsonSchema> LazySchema = new(() => JsonSchema.FromText(File.ReadAllText(Repository.Schema)));

    /// <summary>Broken files whose problem a schema can see (graph problems such as cycles need the validator).</summary>
    public static TheoryData<string> SchemaVisibleBrokenFiles() =>
    [
        "missing-fields.yaml", "missing-steps.yaml", "empty-steps.yaml", "bad-version.yaml", "bad-step-id.yaml",
        "non-positive-timeouts.yaml", "non-positive-concurrency.yaml", "pool-size.yaml", "env-not-scalar.yaml",
        "unknown-keys.yaml", "wrong-types.yaml", "bad-duration.yaml", "top-level-list.yaml", "slurm-values.yaml",
    ];

    public static TheoryData<string> Examples() => [.. Repository.ExampleFiles().Select(Repository.ExampleName)];

    public static TheoryData<string> AllBrokenFiles() =>
        [.. Directory.EnumerateFiles(Repository.InvalidData, "*.yaml").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    private static bool SchemaAccepts(string path)
    {
        var json = YamlJson.Convert(path);
        Assert.NotNull(json);
        return LazySchema.Value.Evaluate(json.Value, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_is_valid_against_the_schema(string name) =>
        Assert.True(SchemaAccepts(Path.Combine(Repository.Examples, name)));

    [Theory]
    [MemberData(nameof(SchemaVisibleBrokenFiles))]
    public void Schema_and_validator_both_reject_a_broken_file(string name)
    {
        var path = Path.Combine(Repository.InvalidData, name);

        Assert.False(SchemaAccepts(path));
        Assert.False(WorkflowValidator.ValidateFile(path).IsValid);
    }

    [Theory]
    [MemberData(nameof(AllBrokenFiles))]
    public void The_validator_rejects_whatever_the_schema_rejects(string name)
    {
        var path = Path.Combine(Repository.InvalidData, name);
        if (YamlJson.Convert(path) is null)
        {
            // Not YAML at all (syntax error, empty file): nothing for the schema to see; the validator's own test covers it.
            Assert.False(WorkflowValidator.ValidateFile(path).IsValid);
            return;
        }

        if (!SchemaAccepts(path))
        {
            Assert.False(WorkflowValidator.ValidateFile(path).IsValid);
        }
    }

    [Fact]
    public void Executor_slurm_blocks_and_license_pools_are_valid_against_the_schema()
    {
        var path = Path.Combine(Path.GetTempPath(), $"flowline-schema-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            name: Cluster
            version: 1.0.0
            executor: slurm
            slurm:
              partition: main
              cpusPerTask: 2
              memory: 4G
              gpus: a100:2
              extraArgs: ["--exclusive"]
              maxJobs: 50
              pollInterval: 250
              queueStatInterval: 5s
              queueTimeout: 10m
            parallel:
              resources:
                cpu: 2
                db: { size: 1, slurmLicense: db }
            steps:
              - id: a
                name: A
                type: script
                executor: local
                slurm: { memory: 4096, gpus: 1 }
                config: { command: "true" }
            """);
        try
        {
            Assert.True(SchemaAccepts(path));
            Assert.Equal([DiagnosticCodes.SlurmOptionsUnused], WorkflowValidator.ValidateFile(path).Diagnostics.Select(d => d.Code));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_schema_knows_exactly_the_keys_the_loader_knows()
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.Schema));
        var root = document.RootElement;
        var defs = root.GetProperty("$defs");

        Assert.Equal(Flowline.Loading.FormatKeys.Workflow, Keys(root));
        Assert.Equal(Flowline.Loading.FormatKeys.WorkflowParallel, Keys(defs.GetProperty("workflowParallel")));
        Assert.Equal(Flowline.Loading.FormatKeys.Step, Keys(defs.GetProperty("step")));
        Assert.Equal(Flowline.Loading.FormatKeys.StepParallel, Keys(defs.GetProperty("stepParallel")));
        Assert.Equal(Flowline.Loading.FormatKeys.Script, Keys(defs.GetProperty("scriptConfig")));
        Assert.Equal(Flowline.Loading.FormatKeys.Agent, Keys(defs.GetProperty("agentConfig")));
        Assert.Equal(Flowline.Loading.FormatKeys.Slurm, Keys(defs.GetProperty("slurm")));
        Assert.Equal(Flowline.Loading.FormatKeys.Slurm.Except(Flowline.Loading.FormatKeys.SlurmWorkflowOnly), Keys(defs.GetProperty("stepSlurm")));
        Assert.Equal(Flowline.Loading.FormatKeys.ResourcePool, Keys(defs.GetProperty("resourcePool")));

        static string[] Keys(System.Text.Json.JsonElement element) =>
            [.. element.GetProperty("properties").EnumerateObject().Select(p => p.Name)];
    }
}
