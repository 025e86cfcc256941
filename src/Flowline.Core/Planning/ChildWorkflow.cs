namespace Flowline.Planning;

/// <summary>
/// The workflow a <c>type: workflow</c> step runs (issue 14): its file, and its plan, made when the parent was
/// planned (with its own children in turn), so the run and <c>flowline validate</c> see the same thing.
/// </summary>
/// <param name="FullPath">The child file's full path.</param>
/// <param name="Plan">The child's plan; its problems are the parent's too.</param>
internal sealed record ChildWorkflow(string FullPath, WorkflowPlan Plan)
{
    /// <summary>The folder the child's relative paths resolve against: its own file's.</summary>
    public string Directory => Path.GetDirectoryName(FullPath)!;
}
