namespace Flowline;

/// <summary>Configuration of a <c>script</c> step (spec "Script Steps").</summary>
public sealed partial record ScriptStepConfig : StepConfig
{
    /// <summary>The program to run (searched on PATH unless it contains a slash).</summary>
    public required string Command { get; init; }

    /// <summary>Arguments, passed as an argument vector: never through a shell.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Working directory, relative to the workflow file's folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Step timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Step environment; overrides the workflow's.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = EmptyMap<string>.Instance;
}
