namespace Flowline.Execution.Processes;

/// <summary>What to run: a command with an argument vector (never through a shell), where and with what environment.</summary>
internal sealed record ProcessSpec
{
    /// <summary>The program as the user wrote it: a path when it contains '/', else a name searched on PATH.</summary>
    public required string Command { get; init; }

    /// <summary>Arguments, passed to the program as they are.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Absolute working directory; relative command paths resolve against it too.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Variables added to (or replacing those of) this process's environment; PATH here is also the one searched.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = EmptyMap<string>.Instance;

    /// <summary>Variables of this process's environment the child does not inherit (unless <see cref="Environment"/> sets them).</summary>
    public IReadOnlyCollection<string> Unset { get; init; } = [];

    /// <summary>Text written to standard input, which is then closed; null closes it at once (a step that reads stdin never hangs).</summary>
    public string? StandardInput { get; init; }

    /// <summary>When set, the process tree is killed after this long and the run reports <see cref="ProcessRunStatus.TimedOut"/>.</summary>
    public TimeSpan? Timeout { get; init; }
}
