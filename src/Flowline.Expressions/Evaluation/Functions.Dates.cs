namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>Issue 19: date(), time(), timestamp(), formatDate, addDays, addHours: from the scope's TimeProvider.</summary>
    private static FunctionDefinition[] Dates() => [];
}
