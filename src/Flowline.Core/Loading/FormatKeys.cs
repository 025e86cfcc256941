namespace Flowline.Loading;

/// <summary>The keys of the fixed parts of the format (spec "Basic Structure", "Step Configuration", "Step Types").</summary>
internal static class FormatKeys
{
    public static readonly string[] Workflow = ["name", "version", "description", "timeout", "parallel", "env", "metadata", "agents", "secrets", "steps"];

    public static readonly string[] WorkflowParallel = ["enabled", "defaultMaxConcurrency", "resources"];

    public static readonly string[] Step = ["id", "name", "type", "config", "dependsOn", "condition", "continueOnError", "parallel"];

    public static readonly string[] StepParallel = ["enabled", "maxConcurrency", "resource", "isolateErrors"];

    public static readonly string[] Script = ["command", "args", "workingDirectory", "timeout", "env"];

    public static readonly string[] Agent = ["agent", "prompt", "parameters", "timeout"];

    /// <summary>Keys starting with <c>x-</c> are extension points: allowed anywhere and ignored (issue 2).</summary>
    public static bool IsExtension(string key) => key.StartsWith("x-", StringComparison.Ordinal);
}
