using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>Small workflow files for tests: script steps running <c>sh -c SCRIPT</c>.</summary>
internal static class Workflows
{
    /// <summary>A workflow with <paramref name="steps"/>; <paramref name="header"/> goes before <c>steps:</c> (env, parallel, timeout).</summary>
    public static string Of(string name, string header, params string[] steps) =>
        $"name: {name}\nversion: 1.0.0\n{header}\nsteps:\n{string.Concat(steps)}";

    /// <summary>A script step <c>sh -c <paramref name="script"/></c>; <paramref name="extra"/> are further step keys, one per line.</summary>
    public static string Sh(string id, string script, string[]? dependsOn = null, string extra = "") =>
        Step(id, "sh", ["-c", script], dependsOn, extra);

    /// <summary>A script step running <paramref name="command"/> with <paramref name="args"/> as its argument vector.</summary>
    public static string Step(string id, string command, string[] args, string[]? dependsOn = null, string extra = "")
    {
        var text = $"""
              - id: {id}
                name: {id}
                type: script
                config:
                  command: {Quote(command)}
                  args: [{string.Join(", ", args.Select(Quote))}]

            """;
        if (dependsOn is { Length: > 0 })
        {
            text += $"    dependsOn: [{string.Join(", ", dependsOn)}]\n";
        }

        foreach (var line in extra.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text += "    " + line.Trim() + "\n";
        }

        return text;
    }

    /// <summary>
    /// A step body that records its own start and end (nanoseconds, from <c>date</c>) into <c>$LOG</c> around
    /// <paramref name="work"/>, so that overlap is measured by the steps, never by the engine's counters.
    /// </summary>
    public static string Timed(string work = "sleep 0.3") =>
        $"echo \"$FLOWLINE_STEP_ID start $(date +%s%N)\" >> \"$LOG\"; {work}; echo \"$FLOWLINE_STEP_ID end $(date +%s%N)\" >> \"$LOG\"";

    /// <summary>YAML double-quoted scalars accept JSON string escapes.</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value);
}
