using BenchmarkDotNet.Attributes;
using Flowline.Testing;

namespace Flowline.Benchmarks;

/// <summary>
/// Bar B7: in-process no-op steps through the real <see cref="WorkflowRunner"/> (plan, ready queue, events with a
/// subscriber, per-step state and results, parallel stats). One operation is one step, so the Ops/s column is steps
/// per second and Allocated is bytes per step (including the run's fixed cost spread over its steps).
/// </summary>
public class SchedulerBenchmarks
{
    private const int StepCount = 10_000;

    private WorkflowDefinition _workflow = null!;
    private WorkflowRunner _runner = null!;
    private ExecutionOptions _options = null!;
    private long _events;

    [Params(Shape.Wide, Shape.Chain, Shape.Random)]
    public Shape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var load = WorkflowLoader.Parse(GeneratedWorkflow.Yaml(Shape, StepCount, type: "noop"), "workflow.yaml");
        _workflow = load.Definition ?? throw new InvalidOperationException(load.Diagnostics[0].Message);
        _runner = new WorkflowRunner();
        _runner.RegisterStepExecutor(new NoOpStepExecutor());

        // A UI subscribes to both events; the handlers are as cheap as a counter so the engine's cost is what shows.
        _runner.StepStarted += (_, _) => _events++;
        _runner.StepFinished += (_, _) => _events++;
        _options = new ExecutionOptions { MaxConcurrency = 8, WorkingDirectory = Path.GetTempPath(), RunId = "bench" };
        var result = RunOnce();
        if (!result.Success || result.StepResults.Count != StepCount)
        {
            throw new InvalidOperationException($"the benchmark run did not succeed: {result.Error}");
        }
    }

    [Benchmark(OperationsPerInvoke = StepCount)]
    public WorkflowResult Run() => RunOnce();

    private WorkflowResult RunOnce() => _runner.ExecuteAsync(_workflow, _options).GetAwaiter().GetResult();
}
