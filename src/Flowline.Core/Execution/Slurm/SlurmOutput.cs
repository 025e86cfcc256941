using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Flowline.Execution.Slurm;

/// <summary>Reads what Slurm's commands print. Every reader is lenient about site chatter and strict about what it takes.</summary>
internal static class SlurmOutput
{
    /// <summary>
    /// The id in <c>sbatch --parsable</c> output: the last non-empty line, <c>ID</c> or <c>ID;CLUSTER</c>, ID all digits.
    /// Lines before it (site banners, warnings) are ignored; anything else is no id.
    /// </summary>
    public static bool TryParseJobId(string stdout, [NotNullWhen(true)] out string? jobId, out string? cluster)
    {
        jobId = null;
        cluster = null;
        var line = stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (line is null)
        {
            return false;
        }

        var parts = line.Split(';', 2);
        if (parts[0].Length == 0 || parts[0].Length > 18 || !parts[0].All(char.IsAsciiDigit))
        {
            return false;
        }

        jobId = parts[0];
        cluster = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null;
        return true;
    }

    /// <summary>
    /// Rows of <c>squeue --format=%i|%T|%r|%N|%k</c> by job id. The comment comes last and may itself hold <c>|</c>;
    /// rows that are not of this form are skipped.
    /// </summary>
    public static IReadOnlyDictionary<string, SlurmJobState> ParseQueue(string stdout)
    {
        var jobs = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('|', 5);
            if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                continue;
            }

            jobs[parts[0]] = new SlurmJobState(
                parts[0],
                parts[1],
                parts.Length > 2 ? parts[2] : "",
                parts.Length > 3 ? parts[3] : "",
                parts.Length > 4 ? parts[4] : "");
        }

        return jobs;
    }

    /// <summary>Total=N from <c>scontrol show license -o NAME</c> (<c>LicenseName=db Total=1 Used=0 Free=1 …</c>).</summary>
    public static bool TryParseLicenseTotal(string stdout, string name, out int total)
    {
        total = 0;
        foreach (var line in stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!fields.Contains($"LicenseName={name}", StringComparer.Ordinal))
            {
                continue;
            }

            var field = fields.FirstOrDefault(f => f.StartsWith("Total=", StringComparison.Ordinal));
            return field is not null && int.TryParse(field.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out total);
        }

        return false;
    }

    /// <summary>The <c>started</c> file: job id, host and Unix time (with a dot or a comma before the fraction).</summary>
    public static bool TryParseStarted(string text, out string host, out DateTimeOffset time)
    {
        host = "";
        time = default;
        var fields = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3
            || !decimal.TryParse(fields[2].Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        host = fields[1];
        time = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        return true;
    }

    /// <summary>The <c>exit_code</c> file: one integer.</summary>
    public static bool TryParseExitCode(string text, out int code) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out code);
}
