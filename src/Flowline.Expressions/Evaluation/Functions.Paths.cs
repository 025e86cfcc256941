namespace Flowline.Expressions.Evaluation;

internal static partial class Functions
{
    /// <summary>Issue 19: path text: fileName, fileExt, filePath, joinPath (pure string work, no file access).</summary>
    private static FunctionDefinition[] Paths() => [];
}
