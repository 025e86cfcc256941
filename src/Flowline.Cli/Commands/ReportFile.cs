using System.Security.Cryptography;
using System.Text;

namespace Flowline.Cli.Commands;

/// <summary>
/// Every file Flowline writes for the user (the <c>--report-json</c>, <c>--report-junit</c> and <c>--report-markdown</c>
/// of <c>run</c> and <c>resume</c>, and the <c>GITHUB_STEP_SUMMARY</c> it appends to) goes through
/// here (issue 18, docs/reports.md "Writing the report file"). A regular file is replaced atomically: written to an
/// unpredictable name created exclusively beside it, then renamed over it, so a reader never sees half a report and a
/// link planted at a temporary name is never followed. A FIFO or a device (<c>/dev/stdout</c>) is opened and written,
/// never replaced. A symbolic link is written through: what it points at is written by these rules, the link stays.
/// </summary>
internal static class ReportFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Before the run: writes an error and returns false when <paramref name="path"/> cannot take the report (a
    /// folder, a missing or read-only folder), so a long run does not end in a report nobody can write. A FIFO is
    /// not opened here: opening it would wait for a reader, or hand one an empty report.
    /// </summary>
    public static async Task<bool> CheckAsync(string option, string path, CliConsole console)
    {
        if (Problem(path) is not { } problem)
        {
            return true;
        }

        await console.Error.WriteLineAsync($"error: {option} '{path}': {problem}");
        return false;
    }

    /// <summary>Writes <paramref name="text"/>; on failure writes the error and returns false. The target is never left half written.</summary>
    public static async Task<bool> TryWriteAsync(string path, string text, CliConsole console)
    {
        try
        {
            var (target, kind) = Resolve(path);
            switch (kind)
            {
                case FileKind.Directory:
                    throw new IOException("it is a folder");
                case FileKind.Special or FileKind.Unknown:
                    await WriteInPlaceAsync(target, kind, text);
                    break;
                default:
                    await ReplaceAsync(target, replacing: kind == FileKind.Regular, text);
                    break;
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync(
                $"error: could not write the report to '{path}': {exception.Message}. Check the disk and the path, or choose another path.");
            return false;
        }
    }

    /// <summary>
    /// Appends <paramref name="text"/> to <paramref name="path"/>, creating it when missing (the CI's step summary,
    /// <c>GITHUB_STEP_SUMMARY</c>: other steps of the job append to the same file, so it is never replaced). On
    /// failure writes a warning and returns false.
    /// </summary>
    public static async Task<bool> TryAppendAsync(string path, string text, CliConsole console)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            await stream.WriteAsync(Utf8.GetBytes(text), CancellationToken.None);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await console.Error.WriteLineAsync($"warning: could not append the Markdown summary to '{path}' ({ReportOptions.StepSummaryVariable}): {exception.Message}.");
            return false;
        }
    }

    private static string? Problem(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            return "is not a file path; give one, such as 'report.json'.";
        }

        var (target, kind) = Resolve(path);
        switch (kind)
        {
            case FileKind.Directory:
                return "is a folder; give the path of a file in it, such as '" + Path.Combine(path, "report.json") + "'.";
            case FileKind.Special or FileKind.Unknown:
                return null;
        }

        var folder = Path.GetDirectoryName(target)!;
        if (FileKinds.Of(folder) != FileKind.Directory)
        {
            return $"the folder '{folder}' does not exist; create it first (mkdir -p '{folder}') or choose another path.";
        }

        try
        {
            using (CreateTemporary(folder, target, out var probe))
            {
                File.Delete(probe);
            }

            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"the report cannot be written in '{folder}' ({exception.Message}); choose a folder you can write to.";
        }
    }

    // A link is followed to its end, so the link stays and its target is written; /dev/stdout is a link too.
    private static (string Target, FileKind Kind) Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var kind = FileKinds.Of(full);
        if (kind is FileKind.Regular or FileKind.Missing && new FileInfo(full).LinkTarget is not null)
        {
            // Missing here is a link to nothing: the file it names is created, as the shell's `>` does.
            return (new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full, kind);
        }

        return (full, kind);
    }

    private static async Task ReplaceAsync(string target, bool replacing, string text)
    {
        var folder = Path.GetDirectoryName(target)!;
        var stream = CreateTemporary(folder, target, out var temporary);
        try
        {
            await using (stream)
            {
                await stream.WriteAsync(Utf8.GetBytes(text), CancellationToken.None);
                stream.Flush(flushToDisk: true);
            }

            if (replacing && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }

            // Without overwrite, .NET links the new name in, which fails rather than replace what appeared there since.
            File.Move(temporary, target, overwrite: replacing);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static async Task WriteInPlaceAsync(string target, FileKind kind, string text)
    {
        // Open, never create: a FIFO or a device that went away must not become a regular file. Where the kind is
        // unknown (not Linux) the file is truncated and written, as the shell's `>` does.
        var mode = kind == FileKind.Special ? FileMode.Open : FileMode.Truncate;
        await using var stream = new FileStream(target, mode, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        await stream.WriteAsync(Utf8.GetBytes(text), CancellationToken.None);
    }

    // O_CREAT|O_EXCL under a random name: nothing planted beforehand can be followed or reused.
    private static FileStream CreateTemporary(string folder, string target, out string temporary)
    {
        temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        return new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }
}
