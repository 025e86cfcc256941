using Flowline.Loading;
using static Flowline.DiagnosticText;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    private sealed partial class Run
    {
        /// <summary>
        /// A process environment is a list of NAME=value strings: a name with '=' or a NUL, or an empty one, would reach
        /// the step as a different or malformed entry ('A=B=x', '=z', a second 'PATH=') (issue 18).
        /// </summary>
        private void EnvNames(IReadOnlyDictionary<string, string> env, string pointer, string? stepId, string owner)
        {
            foreach (var name in env.Keys)
            {
                if (name.Length > 0 && name.AsSpan().IndexOfAny('=', '\0') < 0)
                {
                    continue;
                }

                var problem = name.Length == 0 ? "is empty" : name.Contains('=', StringComparison.Ordinal) ? "contains '='" : "contains a NUL character";
                Error(DiagnosticCodes.InvalidEnvName, $"{pointer}/{YamlPointer.Escape(name)}#key", stepId,
                    $"The environment variable name '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' in {owner} {problem}; a process environment is a list of NAME=value entries, so a name must be non-empty and hold neither '=' nor NUL. Rename it, such as BUILD_MODE.");
            }
        }

        private void EnvNames(WorkflowStep step, StepTraits traits, string? stepId) =>
            EnvNames(traits.Environment, Pointer(step, "/config/env"), stepId, $"the 'env' of {Owner(step, capital: false)}");
    }
}
