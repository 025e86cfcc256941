using System.Globalization;
using Flowline.Binding;

namespace Flowline.Execution.Script;

/// <summary>
/// How a <c>script</c> step's process becomes a result, wherever it ran (locally or as a Slurm job): the named outputs
/// from its <c>FLOWLINE_OUTPUT</c> file and the last lines of stderr in a failure's error.
/// </summary>
internal static class ScriptOutcome
{
    private const int StderrTailLines = 5;
    private const int StderrTailChars = 2000;

    /// <summary><paramref name="error"/> followed by the last lines of <paramref name="stderr"/>, when it has any.</summary>
    public static string WithStderrTail(string error, string stderr)
    {
        var tail = LastLines(stderr);
        return tail.Length > 0 ? error + Environment.NewLine + "stderr (last lines):" + Environment.NewLine + tail : error;
    }

    public static StepExecutionResult WithOutputs(StepExecutionResult result, string outputFile, int limitBytes)
    {
        string text;
        try
        {
            var info = new FileInfo(outputFile);
            if (info.Length == 0)
            {
                return result;
            }

            if (info.Length > limitBytes)
            {
                return Broken(result, string.Create(CultureInfo.InvariantCulture, $"{OutputFile.Variable} holds {info.Length} bytes, more than the output limit of {limitBytes}; write large data to a file and output its path"));
            }

            text = File.ReadAllText(outputFile);
        }
        catch (IOException exception)
        {
            return Broken(result, $"{OutputFile.Variable} could not be read: {exception.Message}");
        }

        return OutputFile.TryParse(text, out var outputs, out var error)
            ? result with { Outputs = outputs }
            : Broken(result, error);
    }

    public static StepExecutionResult Broken(StepExecutionResult result, string error) =>
        result.Success ? result with { Success = false, Error = error } : result;

    private static string LastLines(string text)
    {
        var span = text.AsSpan().TrimEnd();
        if (span.Length > StderrTailChars)
        {
            span = span[^StderrTailChars..];
        }

        var start = span.Length;
        for (var lines = 0; lines < StderrTailLines && start > 0; lines++)
        {
            var newline = span[..(start - 1)].LastIndexOf('\n');
            start = newline + 1;
            if (newline < 0)
            {
                break;
            }
        }

        return span[start..].ToString();
    }
}
