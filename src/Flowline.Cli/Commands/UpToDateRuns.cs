using System.CommandLine;
using System.IO.Hashing;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Flowline.Caching;
using Flowline.State;

namespace Flowline.Cli.Commands;

/// <summary>
/// The whole-run up-to-date check of <c>flowline run</c> (issue 14, docs/caching.md "Whole-run check"): when the last
/// run of the same file, with the same command line (and Flowline's settings and the workflow's secrets in the
/// environment), had every step up to date, and what decided that (<see cref="RunManifest"/>) still holds, the run is
/// recorded as up to date again without reading the workflow, and prints what the full run would. Anything else goes
/// the full way, which keeps a new manifest when its run is up to date from end to end.
/// </summary>
/// <remarks>
/// The key is XXH128 (System.IO.Hashing), as the workflow's content hash is: SHA-256 would load OpenSSL, about 5 MB of
/// resident memory and a few milliseconds, on every run. Secret values (a <c>--secrets-file</c>, the environment
/// variables the workflow declares under <c>secrets:</c>) go in through SHA-256 only, so they are never kept behind a
/// hash that is not one-way; a workflow without secrets never loads it.
/// </remarks>
internal static class UpToDateRuns
{
    private static readonly string Version =
        typeof(UpToDateRuns).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// What the command line, the files it names and Flowline's settings in the environment are, as a hex text; null
    /// when the check does not apply: no store, <c>--force</c>, reports or tracing asked for, or a named file cannot be
    /// read (the full run then says why).
    /// </summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="applies">Whether nothing asked for rules the check out (no --no-state, --force, report or tracing).</param>
    /// <param name="quietTokens">Tokens that change only what is printed, left out of the key.</param>
    /// <param name="variablesFile">The <c>--vars-file</c>, or null.</param>
    /// <param name="secretsFile">The <c>--secrets-file</c>, or null.</param>
    public static string? CallKey(ParseResult parseResult, bool applies, IReadOnlyCollection<string> quietTokens, string? variablesFile, string? secretsFile)
    {
        if (!applies || Tracing.OtlpTracing.Enabled(Environment.GetEnvironmentVariable))
        {
            return null;
        }

        var hash = new XxHash128();
        void Add(ReadOnlySpan<byte> bytes)
        {
            hash.Append(BitConverter.GetBytes(bytes.Length));
            hash.Append(bytes);
        }

        void AddText(string text) => Add(Encoding.UTF8.GetBytes(text));

        AddText("flowline run, call key 1");
        AddText(Version);
        AddText(Directory.GetCurrentDirectory());
        foreach (var token in parseResult.Tokens)
        {
            if (!quietTokens.Contains(token.Value))
            {
                AddText(token.Value);
            }
        }

        // Flowline's own settings; the other variables a run reads (its secrets) are added by WithEnvironment, and
        // the rest only reach the steps' processes, which an up-to-date run does not start.
        AddText("environment");
        var environment = Environment.GetEnvironmentVariables();
        foreach (var name in environment.Keys.Cast<string>().Where(static name => name.StartsWith("FLOWLINE_", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            AddText(name);
            AddText(environment[name] as string ?? string.Empty);
        }

        try
        {
            AddText("files");
            Add(variablesFile is null ? [] : File.ReadAllBytes(variablesFile));
            Add(secretsFile is null ? [] : SHA256.HashData(File.ReadAllBytes(secretsFile)));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>
    /// The call key with the values of the environment variables <paramref name="names"/> (a workflow's secrets) added
    /// through SHA-256; the call key itself when there are none.
    /// </summary>
    public static string WithEnvironment(string callKey, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return callKey;
        }

        var values = new StringBuilder();
        foreach (var name in names)
        {
            values.Append(name).Append('\0');
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                values.Append('\u0001').Append(value);
            }

            values.Append('\0');
        }

        return callKey + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(values.ToString())));
    }

    /// <summary>
    /// Records and prints an up-to-date run when the last one's manifest still holds; null when it does not (or there
    /// is none, or the store cannot say), and the caller runs the workflow.
    /// </summary>
    public static async Task<int?> TryRecordAsync(string path, string callKey, DateTimeOffset began, SqliteRunStore store, bool quiet, CliConsole console, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        (RunRecord Run, IReadOnlyList<StepRecord> Steps) recorded;
        RunManifest manifest;
        string since;
        try
        {
            if (await store.GetRunManifestAsync(fullPath, cancellationToken) is not { } kept
                || kept.Manifest.CallKey != WithEnvironment(callKey, kept.Manifest.EnvironmentNames)
                || !kept.Manifest.Holds(fullPath)
                || await store.RecordUpToDateRunAsync(kept.RunId, RunRecord.NewId(), RunOrigins.Run, began, readSteps: !quiet, cancellationToken) is not { } copy)
            {
                return null;
            }

            (manifest, recorded, since) = (kept.Manifest, copy, kept.RunId);
        }
        catch (RunStoreException)
        {
            // The full run reads and records through the store again, and says what is wrong if it still is.
            return null;
        }

        var (run, steps) = recorded;
        var definition = new WorkflowDefinition
        {
            Name = run.WorkflowName,
            Version = run.WorkflowVersion,
            Steps = [.. manifest.StepIds.Select(static id => new WorkflowStep { Id = id, Name = id, Type = "script", Config = new CustomStepConfig() })],
        };
        var result = RunHistory.ToResult(run, steps);
        if (quiet)
        {
            await console.Out.WriteLineAsync(RunCommand.SummaryLine(definition, result));
            return ExitCodes.Success;
        }

        await console.Error.WriteLineAsync($"run {run.Id} (nothing changed since run {since})");
        foreach (var step in steps)
        {
            await console.Out.WriteLineAsync($"✓ {step.StepId} {step.Cache?.Reason}");
        }

        await console.Out.WriteLineAsync();
        await console.Out.WriteAsync(new WorkflowRunner().GenerateSummaryReport(definition, result));
        return ExitCodes.Success;
    }

    /// <summary>Keeps the manifest of a run that was up to date from end to end, for the next run; a store error costs only that.</summary>
    public static async Task KeepAsync(SqliteRunStore store, WorkflowPlan plan, WorkflowResult result, CacheWatch watch, string runId, string callKey, DateTimeOffset began)
    {
        if (RunManifestBuilder.TryBuild(plan, result, watch, WithEnvironment(callKey, plan.Workflow.Secrets), began, out _) is not { } manifest)
        {
            return;
        }

        try
        {
            await store.SaveRunManifestAsync(Path.GetFullPath(plan.Workflow.Source!.Path), runId, manifest, CancellationToken.None);
        }
        catch (RunStoreException)
        {
            // The next run takes the full way and keeps one then.
        }
    }
}
