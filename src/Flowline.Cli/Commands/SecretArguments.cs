using System.CommandLine;

namespace Flowline.Cli.Commands;

/// <summary>
/// <c>--secrets-file FILE</c> of <c>flowline run</c> and <c>flowline resume</c> (issue 13, docs/secrets.md): the file's
/// values, then the check that every secret the workflow declares has one (from the file or Flowline's environment),
/// so that a run that would lack one ends with exit 2 before it is recorded or any step starts.
/// </summary>
internal static class SecretArguments
{
    public static Option<string?> CreateOption() => new("--secrets-file")
    {
        Description = "Read secret values from a dotenv file (NAME=value lines); it wins over Flowline's environment. Keep it private (chmod 600).",
    };

    /// <summary>The file's values (none without the option); null when the file is bad, its errors already written.</summary>
    public static async Task<IReadOnlyDictionary<string, string>?> LoadAsync(string? path, CliConsole console)
    {
        if (path is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var loaded = SecretsFile.TryLoad(path, out var secrets, out var diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            await console.Error.WriteLineAsync(diagnostic.ToString());
        }

        return loaded ? secrets : null;
    }

    /// <summary>Writes one error per declared secret without a value, at its declaration; true when there is none.</summary>
    public static async Task<bool> CheckAllGivenAsync(WorkflowDefinition definition, IReadOnlyDictionary<string, string> secrets, bool fromFile, CliConsole console)
    {
        var missing = WorkflowRunner.FindMissingSecrets(definition, secrets);
        foreach (var name in missing)
        {
            var index = definition.Secrets.ToList().IndexOf(name);
            var location = definition.Source?.Locate($"/secrets/{index}");
            var where = location is null ? "" : $"{location}: ";
            var sources = fromFile ? "neither in the --secrets-file nor in Flowline's environment" : "not in Flowline's environment and no --secrets-file was given";
            await console.Error.WriteLineAsync(
                $"{where}error: the secret '{name}' has no value: it is {sources}. Set it (export {name}=...) or add '{name}=...' to a file passed with --secrets-file.");
        }

        return missing.Count == 0;
    }
}
