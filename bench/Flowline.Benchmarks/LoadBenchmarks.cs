using BenchmarkDotNet.Attributes;

namespace Flowline.Benchmarks;

/// <summary>YAML load + validate of generated random workflows (issue #2: well under a second for 10,000 steps).</summary>
public class LoadBenchmarks
{
    private string _yaml = "";

    [Params(1_000, 10_000)]
    public int Steps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _yaml = GeneratedWorkflow.Yaml(Shape.Random, Steps);
        var result = WorkflowValidator.ValidateText(_yaml, "workflow.yaml");
        if (!result.IsValid)
        {
            throw new InvalidOperationException("the generated workflow is invalid: " + result.Diagnostics[0].Message);
        }
    }

    [Benchmark]
    public LoadResult Load() => WorkflowLoader.Parse(_yaml, "workflow.yaml");

    [Benchmark]
    public ValidationResult LoadAndValidate() => WorkflowValidator.ValidateText(_yaml, "workflow.yaml");
}
