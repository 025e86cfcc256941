namespace Flowline;

/// <summary>What an executor reports for one attempt of a step.</summary>
public sealed record StepExecutionResult
{
    /// <summary>True when the step did its work.</summary>
    public required bool Success { get; init; }

    /// <summary>The step's output, readable by later steps as <c>steps.ID.output</c>.</summary>
    public object? Output { get; init; }

    /// <summary>Why the step failed.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// True when the step could not begin its work (its command was not found, its config or agent is invalid): the
    /// engine does not retry such a failure (issue 13, <c>retry:</c>), since another attempt would fail the same way.
    /// </summary>
    public bool CouldNotStart { get; init; }

    /// <summary>Exit code of a process step.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Captured standard output (bounded).</summary>
    public string? Stdout { get; init; }

    /// <summary>Captured standard error (bounded).</summary>
    public string? Stderr { get; init; }

    /// <summary>
    /// Named outputs, readable as <c>steps.ID.output.KEY</c>; a script step writes them to the file named by
    /// <c>FLOWLINE_OUTPUT</c> as <c>KEY=value</c> lines or <c>KEY&lt;&lt;DELIM</c> blocks.
    /// </summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = EmptyMap<string>.Instance;

    /// <summary>Extra values an executor records (model, token usage…), shown in the detailed report.</summary>
    public IReadOnlyDictionary<string, object?> Metadata { get; init; } = EmptyMap<object?>.Instance;

    /// <summary>A successful result with <paramref name="output"/>.</summary>
    public static StepExecutionResult Succeeded(object? output = null) => new() { Success = true, Output = output };

    /// <summary>A failed result with <paramref name="error"/>.</summary>
    public static StepExecutionResult Failed(string error) => new() { Success = false, Error = error };
}
