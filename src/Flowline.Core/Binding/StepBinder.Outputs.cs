using System.Diagnostics.CodeAnalysis;
using Flowline.Execution;

namespace Flowline.Binding;

internal sealed partial class StepBinder
{
    /// <summary>
    /// Renders the workflow's top-level <c>outputs</c> (issue 14) once its steps have finished: what a parent reads
    /// as <c>steps.ID.output.NAME</c>. Every output is tried, so the error names each that fails.
    /// </summary>
    public bool TryRenderOutputs(IStepRunState state, [NotNullWhen(true)] out IReadOnlyDictionary<string, string>? outputs, [NotNullWhen(false)] out string? error)
    {
        var roots = _roots ??= new RunRoots(state, _time, _started, _randomSeed);
        var env = _workflow.Env.ToDictionary(static p => p.Key, static p => (object?)p.Value, StringComparer.Ordinal);
        var scope = new BindingScope(roots, env, string.Empty);
        var rendered = new Dictionary<string, string>(_workflow.Outputs.Count, StringComparer.Ordinal);
        List<string>? errors = null;
        foreach (var (name, text) in _workflow.Outputs)
        {
            if (TryRenderText(text, "outputs." + name, scope, out var value, out var failure))
            {
                rendered[name] = value;
            }
            else
            {
                (errors ??= []).Add(failure);
            }
        }

        outputs = rendered;
        error = errors is null ? null : string.Join("; ", errors);
        return errors is null;
    }
}
