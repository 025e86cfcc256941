namespace Flowline.Expressions.Evaluation;

/// <summary>
/// Unwinds the recursive evaluator on a run-time mistake (a bad argument, invalid JSON). Only
/// <see cref="Evaluator.TryEvaluate"/> catches it, so the public API reports errors as values.
/// </summary>
internal sealed class EvaluationException(string message) : Exception(message);
