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

        if (!state.TryGetStepResult(key, out var result))
        {
            value = null;
            return false;
        }

        value = _views.GetOrAdd(key, View(result));
        return true;
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
