using System.Text;
using BenchmarkDotNet.Attributes;
using Flowline.State;

namespace Flowline.Benchmarks;

/// <summary>
/// Recording a step that printed 2 MB: what the store keeps of its output (capped at the 1 MB default) and its log
/// file. Binary output (`head -c 2000000 /dev/urandom`) decodes to mostly U+FFFD, three bytes each in UTF-8; capping it
/// was quadratic and took two minutes (issue 18, item 3), text output never was.
/// </summary>
public class RecordingBenchmarks
{
    private const int Size = 2_000_000;
    private const int Limit = 1024 * 1024;

    private readonly StepResult _binary = Completed(Decode(RandomBytes()));
    private readonly StepResult _text = Completed(new string('x', Size));
    private string _folder = null!;

    [GlobalSetup]
    public void Setup() => _folder = Directory.CreateTempSubdirectory("flowline-bench-").FullName;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public StepSnapshot StoreBinaryOutput() => StepMapping.ToSnapshot("noise", _binary, neverRan: false, Limit);

    [Benchmark(Baseline = true)]
    public StepSnapshot StoreTextOutput() => StepMapping.ToSnapshot("noise", _text, neverRan: false, Limit);

    [Benchmark]
    public void LogBinaryOutput()
    {
        using var writer = RunLogWriter.Open(Path.Combine(_folder, "noise.log"));
        foreach (var line in ((string)_binary.Output!).Split('\n'))
        {
            writer.WriteLine(line);
        }
    }

    private static StepResult Completed(string output) => new() { Status = StepStatus.Completed, Output = output };

    private static byte[] RandomBytes()
    {
        // Seeded, so every run measures the same bytes.
        var bytes = new byte[Size];
        new Random(18).NextBytes(bytes);
        return bytes;
    }

    private static string Decode(byte[] bytes) => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes);
}
