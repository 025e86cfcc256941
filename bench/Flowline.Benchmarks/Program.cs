using BenchmarkDotNet.Running;
using Flowline.Benchmarks;

// `dotnet run -c Release --project bench/Flowline.Benchmarks -- --filter '*'` runs everything with the short job of
// BenchConfig; any BenchmarkDotNet option (--job, --filter, --list flat, ...) works as usual.
BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, new BenchConfig());
