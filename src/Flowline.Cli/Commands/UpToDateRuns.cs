using System.CommandLine;
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
/// recorded as up to date again without reading the workflow, and prints what the full run would. Anything else goes the full way, which keeps a new manifest when its run is
/// up to date from end to end.
/// </summary>
internal static class UpToDateRuns
{
    private static readonly string Version =
        typeof(UpToDateRuns).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// What the command line, the files it names and Flowline's settings in the environment are, as a SHA-256 hex text (it covers secrets);
    /// null when the check does not apply: no store, <c>--force</c>, reports or tracing asked for, or a named file
    /// cannot be read (the full run then says why).
    /// </summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="applies">Whether nothing asked for rules the check out (no --no-state, --force, report or tracing).</param>
    /// <param name="quietTokens">Tokens that change only what is printed, left out of the key.</param>
    /// <param name="files">The variable and secret files the command line names (null when not given).</param>
    public static string? CallKey(ParseResult parseResult, bool applies, IReadOnlyCollection<string> quietTokens, params string?[] files)
    {
        if (!applies || Tracing.OtlpTracing.Enabled(Environment.GetEnvironmentVariable))
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        Add("flowline run, call key 1");
        Add(Version);
        Add(Directory.GetCurrentDirectory());
        foreach (var token in parseResult.Tokens)
        {
            if (!quietTokens.Contains(token.Value))
            {
                Add(token.Value);
            }
        }

        // Flowline's own settings; the other variables a run reads (its secrets) are added by WithEnvironment, and
        // the rest only reach the steps' processes, which an up-to-date run does not start.
        Add("environment");
        var environment = Environment.GetEnvironmentVariables();
        foreach (var name in environment.Keys.Cast<string>().Where(static name => name.StartsWith("FLOWLINE_", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            Add(name);
            Add(environment[name] as string ?? string.Empty);
        }

        Add("files");
        foreach (var file in files)
        {
            if (file is null)
            {
                Add("-");
                continue;
            }

            try
            {
                hash.AppendData(File.ReadAllBytes(file));
                Add(file);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return null;
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The call key with the values of the environment variables <paramref name="names"/> (a workflow's secrets) added, SHA-256 hex.</summary>
    public static string WithEnvironment(string callKey, IReadOnlyList<string> names)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(callKey));
        foreach (var name in names)
        {
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                hash.AppendData([1]);
                hash.AppendData(Encoding.UTF8.GetBytes(value));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
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
