using System.Text;

namespace Flowline.Execution.Slurm;

/// <summary>
/// One attempt's folder on the file system shared with the compute nodes (docs/slurm.md "Files"): what goes in
/// (<c>argv</c>, <c>env</c>) and what the job writes (<c>started</c>, <c>stdout</c>, <c>stderr</c>, <c>outputs</c>,
/// <c>exit_code</c>). A new attempt gets a new folder, so an old attempt's late files are never taken for a new one's.
/// </summary>
internal sealed class SlurmJobFolder(string path)
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = path;

    public string Argv => Combine("argv");

    public string Env => Combine("env");

    public string Started => Combine("started");

    public string ExitCode => Combine("exit_code");

    public string Stdout => Combine("stdout");

    public string Stderr => Combine("stderr");

    /// <summary>The step's <c>FLOWLINE_OUTPUT</c> file.</summary>
    public string Outputs => Combine("outputs");

    /// <summary>
    /// The jobs folder of a run: <c>runs/RUN/slurm</c> in the state folder, or <c>.flowline/runs/RUN/slurm</c> under the
    /// workflow's folder when the run is not recorded (the job's files must live on a shared file system either way).
    /// </summary>
    public static string RunRoot(ExecutionOptions options, string workflowDirectory, string runId) =>
        System.IO.Path.Combine(
            options.StateDirectory?.RunLogDirectory(runId) ?? System.IO.Path.Combine(workflowDirectory, State.StateDirectory.FolderName, "runs", runId),
            "slurm");

    /// <summary>The folder of <paramref name="stepId"/>'s attempt <paramref name="attempt"/> under <paramref name="runRoot"/>.</summary>
    public static SlurmJobFolder For(string runRoot, string stepId, int attempt) =>
        new(System.IO.Path.Combine(runRoot, stepId, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// Writes the job script once in <paramref name="runRoot"/> (the same constant text every time, renamed into place
    /// so a concurrent writer never leaves half of it) and returns its path.
    /// </summary>
    public static string EnsureScript(string runRoot)
    {
        var path = System.IO.Path.Combine(runRoot, SlurmJobScript.FileName);
        if (File.Exists(path) && File.ReadAllText(path) == SlurmJobScript.Text)
        {
            return path;
        }

        Directory.CreateDirectory(runRoot);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        File.WriteAllText(temporary, SlurmJobScript.Text);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Creates the folder empty (a re-submission after a lost id starts afresh) and writes the argument vector and the
    /// environment, each item NUL-terminated (the environment file readable by its owner only), and the empty
    /// <c>FLOWLINE_OUTPUT</c> file.
    /// </summary>
    public void Prepare(IReadOnlyList<string> argv, IEnumerable<KeyValuePair<string, string>> environment)
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }

        Directory.CreateDirectory(Path);
        WriteItems(Argv, argv, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        WriteItems(Env, environment.Select(pair => $"{pair.Key}={pair.Value}"), PrivateFile);
        WriteItems(Outputs, [], PrivateFile);
    }

    /// <summary>Removes the environment file once <c>sbatch</c> has read it (it may hold secrets).</summary>
    public void DeleteEnv()
    {
        try
        {
            File.Delete(Env);
        }
        catch (IOException)
        {
            // Best effort: the folder is the user's own and private to them.
        }
    }

    /// <summary>The text of one of the job's small files, or null when it is not there yet.</summary>
    public static string? ReadSmall(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    private static void WriteItems(string file, IEnumerable<string> items, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using var stream = new FileStream(file, options);
        foreach (var item in items)
        {
            stream.Write(Encoding.UTF8.GetBytes(item));
            stream.WriteByte(0);
        }
    }
}
