using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Flowline.Benchmarks;

/// <summary>
/// Short runs (the benchmark machines are shared 2-core VMs: minutes, not hours), allocations, and a throughput
/// column. Figures from a short job carry a wide error bar; the ratios to the bars are what matters.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.ShortRun.WithId("short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new OperationsPerSecondColumn());
        WithOptions(ConfigOptions.JoinSummary);
    }
}
