using System.Diagnostics.CodeAnalysis;

namespace Flowline.Execution.Processes;

/// <summary>
/// Finds the file a command names, the way a shell would but with errors that say where it looked: a command
/// containing '/' is a path relative to the working directory; any other is searched on PATH.
/// </summary>
internal static class CommandResolver
{
    /// <summary>Resolves <paramref name="command"/>; on failure <paramref name="error"/> says what was tried and how to fix it.</summary>
    public static bool TryResolve(
        string command,
        string workingDirectory,
        string? path,
        [NotNullWhen(true)] out string? resolved,
        [NotNullWhen(false)] out string? error)
    {
        resolved = null;
        if (string.IsNullOrWhiteSpace(command))
        {
            error = "The command is empty; set config.command to the program to run.";
            return false;
        }

        if (command.Contains('/', StringComparison.Ordinal) || (OperatingSystem.IsWindows() && command.Contains('\\', StringComparison.Ordinal)))
        {
            var candidate = Path.GetFullPath(command, workingDirectory);
            if (Directory.Exists(candidate))
            {
                error = $"Command '{command}' resolved to '{candidate}', which is a directory, not a program.";
                return false;
            }

            if (!File.Exists(candidate))
            {
                error = $"Command '{command}' was not found: '{candidate}' does not exist (relative paths resolve against the working directory '{workingDirectory}').";
                return false;
            }

            if (!IsExecutable(candidate))
            {
                error = $"Command '{command}' resolved to '{candidate}', which is not executable; run 'chmod +x {candidate}' or call it through its interpreter (command: sh, args: [{command}]).";
                return false;
            }

            resolved = candidate;
            error = null;
            return true;
        }

        var directories = (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var extensions = OperatingSystem.IsWindows() ? WindowsExtensions() : [string.Empty];
        foreach (var directory in directories)
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.GetFullPath(command + extension, Path.GetFullPath(directory, workingDirectory));
                if (File.Exists(candidate) && IsExecutable(candidate))
                {
                    resolved = candidate;
                    error = null;
                    return true;
                }
            }
        }

        error = directories.Length == 0
            ? $"Command '{command}' was not found: PATH is empty. Set PATH in the workflow or step env, or give the program's path (containing '/')."
            : $"Command '{command}' was not found in PATH ({string.Join(Path.PathSeparator, directories)}). Install it, add its folder to PATH, or give its path (containing '/').";
        return false;
    }

    private static bool IsExecutable(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(file) & anyExecute) != 0;
    }

    private static string[] WindowsExtensions()
    {
        var pathExt = Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD";
        return [string.Empty, .. pathExt.Split(';', StringSplitOptions.RemoveEmptyEntries)];
    }
}
