using Flowline.Caching;
using static Flowline.DiagnosticText;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    /// <summary>
    /// Checks step ids given to <c>flowline run --force STEP</c> (<see cref="ExecutionOptions.ForceSteps"/>, issue 14):
    /// an FL1164 error, with a did-you-mean, for each id that is no step of <paramref name="workflow"/>.
    /// </summary>
    /// <param name="workflow">The workflow to run.</param>
    /// <param name="stepIds">The forced step ids.</param>
    /// <returns>The errors; empty when every id names a step.</returns>
    public static IReadOnlyList<Diagnostic> CheckForcedSteps(WorkflowDefinition workflow, IEnumerable<string> stepIds)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(stepIds);
        var errors = new List<Diagnostic>();
        foreach (var id in stepIds)
        {
            if (!workflow.Steps.Any(step => step.Id == id))
            {
                errors.Add(new Diagnostic(DiagnosticCodes.UnknownForcedStep, DiagnosticSeverity.Error,
                    $"--force {id}: workflow '{workflow.Name}' has no step '{id}'.{Expressions.Suggestions.DidYouMean(id, workflow.Steps.Select(static s => s.Id))} Give a step id, or --force alone to run every step with cache:.",
                    null, null));
            }
        }

        return errors;
    }

    /// <summary>A step's <c>cache:</c> block (issue 14, docs/caching.md).</summary>
    private sealed partial class Run
    {
        private string? _sourceFolder;
        private bool _sourceFolderKnown;

        /// <summary>The folder of the workflow's file, where its globs start; null when it was not read from a file. Found once per validation.</summary>
        private string? SourceFolder()
        {
            if (!_sourceFolderKnown)
            {
                _sourceFolder = _source?.Path is { Length: > 0 } path && File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path)) : null;
                _sourceFolderKnown = true;
            }

            return _sourceFolder;
        }

        private void Cache(WorkflowStep step, string? stepId)
        {
            if (step.Cache is not { } cache || _source?.WasRejected(Pointer(step, "/cache")) == true)
            {
                return;
            }

            if (cache.Sources.Count == 0 && cache.Outputs.Count == 0 && string.IsNullOrWhiteSpace(cache.Key))
            {
                Error(DiagnosticCodes.EmptyCache, Pointer(step, "/cache"), stepId,
                    $"The 'cache' block of {Owner(step, capital: false)} names no sources, outputs or key, so nothing would tell when it is out of date; list the files it reads, such as 'sources: [\"src/**/*.cs\"]', or remove 'cache:'.");
                return;
            }

            var folder = SourceFolder();
            for (var i = 0; i < cache.Sources.Count; i++)
            {
                var glob = cache.Sources[i];
                var pointer = Pointer(step, $"/cache/sources/{i}");
                if (string.IsNullOrWhiteSpace(glob))
                {
                    Error(DiagnosticCodes.InvalidCacheSource, pointer, stepId,
                        $"'cache.sources' of {Owner(step, capital: false)} has an empty glob; give one relative to the workflow's folder, such as 'src/**/*.cs', or remove it.");
                }
                else if (glob.IndexOfAny(CacheSources.Unsupported) >= 0)
                {
                    Error(DiagnosticCodes.InvalidCacheSource, pointer, stepId,
                        $"The glob '{glob}' in 'cache.sources' of {Owner(step, capital: false)} uses '?', '[…]' or '{{…}}', which Flowline's globs take literally; use '*' within a name and '**' across folders, and list alternatives as separate globs.");
                }
                else if (folder is not null && !CacheSources.MatchesAny(folder, glob)
                    && !CacheSources.MatchesAnOutput(glob, definition.Steps))
                {
                    Diagnostics.Add(new Diagnostic(DiagnosticCodes.CacheSourceMatchesNothing, DiagnosticSeverity.Warning,
                        $"The glob '{glob}' in 'cache.sources' of {Owner(step, capital: false)} matches no file under '{folder}'; globs are relative to the workflow's folder. Check the path, or remove the glob.",
                        Locate(pointer), stepId));
                }
            }

            for (var i = 0; i < cache.Outputs.Count; i++)
            {
                var output = cache.Outputs[i];
                if (string.IsNullOrWhiteSpace(output) || output.Contains('*', StringComparison.Ordinal))
                {
                    Error(DiagnosticCodes.InvalidCacheOutput, Pointer(step, $"/cache/outputs/{i}"), stepId, string.IsNullOrWhiteSpace(output)
                        ? $"'cache.outputs' of {Owner(step, capital: false)} has an empty path; give the file or folder the step writes, such as 'bin/app', or remove it."
                        : $"The output '{output}' in 'cache.outputs' of {Owner(step, capital: false)} is a glob; outputs are paths that must all exist for the step to be up to date. Name the files or folders, such as 'bin/app'.");
                }
            }
        }
    }
}
