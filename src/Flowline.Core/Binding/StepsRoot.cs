using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Flowline.Execution;

namespace Flowline.Binding;

/// <summary>
/// The <c>steps</c> root: one read-only view per finished step, built on first read and kept (a finished step's
/// result never changes). Steps that are pending or running are absent, so reading them is undefined.
/// </summary>
internal sealed class StepsRoot(IStepRunState state) : IReadOnlyDictionary<string, object?>
{
    /// <summary>The metadata key of a dynamic matrix step's own result: its instances' ids (issue 13).</summary>
    public const string MatrixInstancesKey = "matrixInstances";

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, object?>> _views = new(StringComparer.Ordinal);

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<object?> Values => this.Select(p => p.Value);

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var step in state.Workflow.Steps)
            {
                count += state.TryGetStepResult(step.Id, out _) ? 1 : 0;
            }

            return count;
        }
    }

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_views.TryGetValue(key, out var view))
        {
            value = view;
            return true;
        }

        // A matrix step from a step's output has a row of its own (issue 13), but steps.test reads its instances.
        if (!state.TryGetStepResult(key, out var result) || (result.Metadata.ContainsKey(MatrixInstancesKey) && state.InstancesOf(key) is not null))
        {
            return TryGetMatrix(key, out value);
        }

        value = _views.GetOrAdd(key, View(result));
        return true;
    }

    /// <summary>
    /// <c>steps.test</c> of a matrix step (issue 13, docs/matrix.md), once every instance has finished: <c>output</c> is
    /// the list of the instances' outputs in instance order, <c>success</c> is true when all succeeded, <c>status</c>
    /// the worst, and <c>instances</c> each instance's own view with its <c>matrix</c> values.
    /// </summary>
    private bool TryGetMatrix(string key, [MaybeNullWhen(false)] out object? value)
    {
        value = null;
        if (state.InstancesOf(key) is not { } ids)
        {
            return false;
        }

        var results = new StepResult[ids.Count];
        var views = new object?[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            if (!state.TryGetStepResult(ids[i], out var result) || !TryGetValue(ids[i], out views[i]))
            {
                return false;
            }

            results[i] = result;
        }

        value = _views.GetOrAdd(key, Group(results, views));
        return true;
    }

    private static Dictionary<string, object?> Group(StepResult[] results, object?[] views)
    {
        var worst = StepStatus.Skipped;
        foreach (var result in results)
        {
            worst = Worse(worst, result.Status);
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["output"] = results.Select(static r => StepOutput.For(r)).ToArray(),
            ["success"] = results.All(static r => r.Success),
            ["status"] = worst.ToString().ToLower(CultureInfo.InvariantCulture),
            ["error"] = results.FirstOrDefault(static r => r.Error is not null)?.Error,
            ["exitCode"] = results.Select(static r => r.ExitCode).FirstOrDefault(static c => c is not null and not 0) ?? results.Select(static r => r.ExitCode).FirstOrDefault(),
            ["executionTime"] = results.Length == 0 ? 0d : Math.Round(results.Max(static r => r.ExecutionTime).TotalMilliseconds),
            ["instances"] = views,
        };
    }

    // The order a matrix's status reads in: one failed instance makes it failed, then cancelled, then completed.
    private static StepStatus Worse(StepStatus a, StepStatus b)
    {
        static int Rank(StepStatus s) => s switch
        {
            StepStatus.Failed => 4,
            StepStatus.Cancelled => 3,
            StepStatus.Completed => 2,
            _ => 1,
        };

        return Rank(b) > Rank(a) ? b : a;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var step in state.Workflow.Steps)
        {
            if (TryGetValue(step.Id, out var view))
            {
                yield return new KeyValuePair<string, object?>(step.Id, view);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The fields of <c>steps.ID</c> (docs/expressions.md "Paths").</summary>
    public static IReadOnlyDictionary<string, object?> View(StepResult result) => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["output"] = StepOutput.For(result),
        ["stdout"] = result.Stdout,
        ["stderr"] = result.Stderr,
        ["exitCode"] = result.ExitCode,
        ["success"] = result.Success,
        ["status"] = result.Status.ToString().ToLower(CultureInfo.InvariantCulture),
        ["error"] = result.Error,
        ["skipReason"] = result.SkipReason,
        ["executionTime"] = Math.Round(result.ExecutionTime.TotalMilliseconds),
    };
}
