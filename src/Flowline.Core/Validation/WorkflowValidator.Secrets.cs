using Flowline.Expressions;
using Flowline.Planning;
using static Flowline.DiagnosticText;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    private sealed partial class Run
    {
        /// <summary>
        /// The <c>secrets:</c> list (issue 13): each name is also an environment variable name Flowline reads it from, so
        /// it is written as one (letters, digits, '_', not starting with a digit), and each is declared once.
        /// </summary>
        private void SecretNames()
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < definition.Secrets.Count; i++)
            {
                var name = definition.Secrets[i];
                var pointer = $"/secrets/{i}";
                if (!IsSecretName(name))
                {
                    var fixedName = new string([.. name.Select(static c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_')]).Trim('_');
                    var hint = fixedName.Length == 0 || char.IsAsciiDigit(fixedName[0]) ? "such as NPM_TOKEN" : $"such as '{fixedName}'";
                    Error(DiagnosticCodes.InvalidSecretName, pointer, null,
                        $"The secret name '{name}' is not an environment variable name, which Flowline reads its value from: use letters, digits and '_', not starting with a digit, {hint}.");
                }
                else if (seen.TryGetValue(name, out var first))
                {
                    var where = Locate($"/secrets/{first}") is { } location ? $" (first at line {location.Line})" : string.Empty;
                    Error(DiagnosticCodes.DuplicateSecret, pointer, null,
                        $"The secret '{name}' is declared twice under 'secrets:'{where}; remove this one.");
                }
                else
                {
                    seen[name] = i;
                }
            }
        }

        /// <summary><c>secrets.NAME</c> must name a declared secret; the whole root would print every value at once.</summary>
        private void SecretReference(PlannedText text, WorkflowStep? step, PathReference reference)
        {
            var declared = definition.Secrets;
            if (reference.Segments.Count == 0)
            {
                Report(DiagnosticCodes.UndeclaredSecret,
                    $"{Where(step, text)} reads 'secrets' as a whole; read one secret by name, such as 'secrets.{(declared.Count > 0 ? declared[0] : "NPM_TOKEN")}'.",
                    text, step, reference.Position);
                return;
            }

            var name = reference.Segments[0];
            if (declared.Contains(name, StringComparer.Ordinal))
            {
                return;
            }

            var fix = declared.Count == 0
                ? $" Declare it at the top level of the workflow: 'secrets: [{name}]'."
                : $"{Suggestions.DidYouMean(name, declared)} Declared secrets: {Quote(declared.Distinct(StringComparer.Ordinal))}; add '{name}' to 'secrets:' if it is a new one.";
            Report(DiagnosticCodes.UndeclaredSecret, $"{Where(step, text)} reads '{reference}', but '{name}' is not declared under 'secrets:'.{fix}", text, step, reference.Position);
        }

        private static bool IsSecretName(string name) =>
            name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }
}
