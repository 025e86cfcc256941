using Flowline.Expressions;
using Flowline.Planning;
using static Flowline.DiagnosticText;

namespace Flowline;

public sealed partial class WorkflowValidator
{
    private sealed partial class Run
    {
        /// <summary><c>matrix.NAME</c> inside a matrix step (issue 13): NAME must be one of its axes or an <c>include</c> key.</summary>
        private void MatrixReference(PlannedText text, WorkflowStep step, PathReference reference)
        {
            var name = reference.Segments[0];
            var names = MatrixNames(step);
            if (names.Contains(name, StringComparer.Ordinal))
            {
                return;
            }

            Report(DiagnosticCodes.UnknownMatrixValue,
                $"{Where(step, text)} reads '{reference}', but its matrix has no axis '{name}'.{Suggestions.DidYouMean(name, names)} Axes: {Quote(names)}.",
                text, step, reference.Position);
        }

        private IReadOnlyList<string> MatrixNames(WorkflowStep step)
        {
            var id = step.Instance?.Of ?? step.Id;
            var matrix = step.Matrix ?? plan.Definition.Steps.FirstOrDefault(s => s.Matrix is not null && s.Id == id)?.Matrix;
            if (matrix is null)
            {
                return [];
            }

            var names = matrix.Axes.Select(static a => a.Name).ToList();
            foreach (var key in matrix.Include.SelectMany(static i => i.Keys))
            {
                if (!names.Contains(key, StringComparer.Ordinal))
                {
                    names.Add(key);
                }
            }

            return names;
        }
    }
}
