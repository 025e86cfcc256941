using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Flowline.Agents.Tools;

/// <summary>
/// The read-only tools an agent may opt into (<c>tools: [read_file, list_directory, search_files]</c>), as
/// Microsoft.Extensions.AI functions. Every path is confined to the workflow's working directory by
/// <see cref="ConfinedPath"/>, reads are size-capped, and every call is logged. A refused call returns its
/// reason to the model as text rather than throwing, so the model can correct itself.
/// </summary>
internal sealed class WorkspaceTools
{
    public static readonly IReadOnlyList<string> Names = ["read_file", "list_directory", "search_files"];

    internal const int MaxReadBytes = 64 * 1024;
    internal const int MaxEntries = 500;
    internal const int MaxMatches = 100;
    internal const int MaxSearchFileBytes = 1024 * 1024;
    internal const int MaxFilesSearched = 5000;

    private readonly ConfinedPath _confined;
    private readonly Action<string> _log;

    public WorkspaceTools(string workingDirectory, Action<string> log)
    {
        _confined = new ConfinedPath(workingDirectory);
        _log = log;
    }

    /// <summary>The functions named in <paramref name="names"/>, in that order.</summary>
    public IList<AITool> Create(IEnumerable<string> names) =>
        [.. names.Distinct(StringComparer.Ordinal).Select(name => name switch
        {
            "read_file" => AIFunctionFactory.Create(ReadFile, "read_file",
                "Reads a text file under the working directory (at most 64 KiB per call; use offset for more)."),
            "list_directory" => AIFunctionFactory.Create(ListDirectory, "list_directory",
                "Lists the files and folders of a folder under the working directory."),
            "search_files" => AIFunctionFactory.Create(SearchFiles, "search_files",
                "Finds lines containing a text (case-insensitive) in the files under a folder of the working directory."),
            _ => (AITool?)null,
        }).OfType<AITool>()];

    public string ReadFile(
        [Description("Path relative to the working directory, e.g. src/app.cs")] string path,
        [Description("Byte offset to start reading at; 0 for the start")] long offset = 0)
    {
        if (!_confined.TryResolve(path, out var full, out var error))
        {
            return Refuse("read_file", path, error);
        }

        if (Directory.Exists(full))
        {
            return Refuse("read_file", path, $"'{path}' is a folder; use list_directory");
        }

        if (!File.Exists(full))
        {
            return Refuse("read_file", path, $"'{path}' does not exist");
        }

        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var length = stream.Length;
            offset = Math.Clamp(offset, 0, length);
            stream.Position = offset;
            var buffer = new byte[(int)Math.Min(MaxReadBytes, length - offset)];
            stream.ReadExactly(buffer);
            if (Array.IndexOf(buffer, (byte)0) >= 0)
            {
                return Refuse("read_file", path, $"'{path}' is a binary file ({length} bytes)");
            }

            var text = Encoding.UTF8.GetString(buffer);
            var end = offset + buffer.Length;
            _log(string.Create(CultureInfo.InvariantCulture, $"tool read_file(\"{path}\", offset {offset}) -> {buffer.Length} of {length} bytes"));
            return end < length
                ? text + string.Create(CultureInfo.InvariantCulture, $"\n[truncated: the file has {length} bytes; call read_file with offset {end} for more]")
                : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Refuse("read_file", path, $"'{path}' cannot be read: {ex.Message}");
        }
    }

    public string ListDirectory(
        [Description("Folder relative to the working directory; '.' for the working directory itself")] string path = ".")
    {
        if (!_confined.TryResolve(path, out var full, out var error))
        {
            return Refuse("list_directory", path, error);
        }

        if (!Directory.Exists(full))
        {
            return Refuse("list_directory", path, $"'{path}' is not a folder");
        }

        var sb = new StringBuilder();
        var count = 0;
        try
        {
            foreach (var entry in new DirectoryInfo(full).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (++count > MaxEntries)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"[only the first {MaxEntries} entries are shown]\n");
                    break;
                }

                sb.Append(entry switch
                {
                    { LinkTarget: not null } => $"{entry.Name} (symbolic link)\n",
                    DirectoryInfo => $"{entry.Name}/\n",
                    FileInfo file => string.Create(CultureInfo.InvariantCulture, $"{entry.Name} ({file.Length} bytes)\n"),
                    _ => $"{entry.Name}\n",
                });
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Refuse("list_directory", path, $"'{path}' cannot be listed: {ex.Message}");
        }

        _log(string.Create(CultureInfo.InvariantCulture, $"tool list_directory(\"{path}\") -> {Math.Min(count, MaxEntries)} entries"));
        return sb.Length == 0 ? "(empty folder)" : sb.ToString();
    }

    public string SearchFiles(
        [Description("The text to find, case-insensitive")] string text,
        [Description("Folder to search under, relative to the working directory; '.' for all")] string path = ".")
    {
        if (string.IsNullOrEmpty(text))
        {
            return Refuse("search_files", path, "give a non-empty text to search for");
        }

        if (!_confined.TryResolve(path, out var full, out var error))
        {
            return Refuse("search_files", path, error);
        }

        if (!Directory.Exists(full))
        {
            return Refuse("search_files", path, $"'{path}' is not a folder");
        }

        // Symbolic links are skipped rather than followed, so the search cannot wander outside the root.
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
        };
        var sb = new StringBuilder();
        var matches = 0;
        var files = 0;
        foreach (var file in Directory.EnumerateFiles(full, "*", options))
        {
            var relative = _confined.Relative(file);
            if (relative.StartsWith(".git/", StringComparison.Ordinal) || ++files > MaxFilesSearched || matches >= MaxMatches)
            {
                continue;
            }

            matches += SearchFile(file, relative, text, sb, MaxMatches - matches);
        }

        _log(string.Create(CultureInfo.InvariantCulture, $"tool search_files(\"{text}\", \"{path}\") -> {matches} matches in {Math.Min(files, MaxFilesSearched)} files"));
        if (matches >= MaxMatches)
        {
            sb.Append(CultureInfo.InvariantCulture, $"[stopped at {MaxMatches} matches; search a narrower folder]\n");
        }

        return matches == 0 ? "no matches" : sb.ToString();
    }

    private static int SearchFile(string file, string relative, string text, StringBuilder sb, int budget)
    {
        try
        {
            if (new FileInfo(file).Length > MaxSearchFileBytes)
            {
                return 0;
            }

            var content = File.ReadAllText(file);
            if (content.Contains('\0', StringComparison.Ordinal))
            {
                return 0;
            }

            var found = 0;
            var lines = content.Split('\n');
            for (var i = 0; i < lines.Length && found < budget; i++)
            {
                if (lines[i].Contains(text, StringComparison.OrdinalIgnoreCase))
                {
                    var line = lines[i].TrimEnd('\r').Trim();
                    sb.Append(CultureInfo.InvariantCulture, $"{relative}:{i + 1}: {(line.Length > 200 ? line[..200] + "…" : line)}\n");
                    found++;
                }
            }

            return found;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private string Refuse(string tool, string? path, string reason)
    {
        _log($"tool {tool}(\"{path}\") refused: {reason}");
        return "error: " + reason;
    }
}
