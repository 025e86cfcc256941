namespace Flowline.State;

/// <summary>
/// The project's <c>.flowline/</c> folder (issue #6): <c>flowline.db</c> and <c>runs/RUN_ID/STEP_ID.log</c>.
/// </summary>
public sealed class StateDirectory
{
    /// <summary>The folder name searched for, like <c>.git</c>.</summary>
    public const string FolderName = ".flowline";

    /// <summary>The environment variable that overrides the search.</summary>
    public const string EnvironmentVariable = "FLOWLINE_STATE_DIR";

    /// <summary>The database file name inside the folder.</summary>
    public const string DatabaseFileName = "flowline.db";

    /// <summary>Uses <paramref name="path"/> as the state folder (made absolute).</summary>
    public StateDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>The SQLite database.</summary>
    public string DatabasePath => System.IO.Path.Combine(Path, DatabaseFileName);

    /// <summary>The folder holding one folder of logs per run.</summary>
    public string RunsPath => System.IO.Path.Combine(Path, "runs");

    /// <summary>
    /// Finds the state folder: <paramref name="explicitDirectory"/> (<c>--state-dir</c>) first, then
    /// <c>FLOWLINE_STATE_DIR</c>, then the nearest <c>.flowline/</c> in <paramref name="currentDirectory"/> or
    /// one of its parents, else <c>.flowline/</c> in <paramref name="currentDirectory"/> (created when the store
    /// opens). Relative overrides resolve against <paramref name="currentDirectory"/>.
    /// </summary>
    public static StateDirectory Resolve(
        string? explicitDirectory,
        string currentDirectory,
        IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var current = System.IO.Path.GetFullPath(currentDirectory);

        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return new StateDirectory(System.IO.Path.Combine(current, explicitDirectory));
        }

        if (environment.TryGetValue(EnvironmentVariable, out var fromEnvironment) && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new StateDirectory(System.IO.Path.Combine(current, fromEnvironment));
        }

        for (var directory = new DirectoryInfo(current); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, FolderName);
            if (Directory.Exists(candidate))
            {
                return new StateDirectory(candidate);
            }
        }

        return new StateDirectory(System.IO.Path.Combine(current, FolderName));
    }

    /// <summary>The folder holding a run's step logs.</summary>
    public string RunLogDirectory(string runId) => System.IO.Path.Combine(RunsPath, CheckName(runId, nameof(runId)));

    /// <summary>
    /// The log file of one step of a run: <c>runs/RUN_ID/STEP_ID.log</c>; a child workflow's step (issue 14,
    /// <c>deploy/push</c>) has its file in a folder per workflow step, <c>runs/RUN_ID/deploy/push.log</c>.
    /// </summary>
    public string StepLogPath(string runId, string stepId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        var path = RunLogDirectory(runId);
        foreach (var segment in stepId.Split('/'))
        {
            path = System.IO.Path.Combine(path, CheckName(segment, nameof(stepId)));
        }

        return path + ".log";
    }

    /// <inheritdoc />
    public override string ToString() => Path;

    // Ids become file names: refuse anything that could climb out of runs/ (validation already limits step ids).
    private static string CheckName(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        if (name is "." or ".." || name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' cannot be used as a file name.", parameter);
        }

        return name;
    }
}
