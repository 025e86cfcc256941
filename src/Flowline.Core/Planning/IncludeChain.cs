namespace Flowline.Planning;

/// <summary>
/// The workflow files that led to the one being planned (issue 14, docs/workflows-in-workflows.md): each file's full
/// path and where it was included from, outermost first. Finds cycles of files and says where an error came from.
/// </summary>
internal sealed class IncludeChain
{
    private readonly IReadOnlyList<(string FullPath, SourceLocation? Site)> _links;

    private IncludeChain(IReadOnlyList<(string FullPath, SourceLocation? Site)> links) => _links = links;

    /// <summary>The chain of a top-level workflow (its file, when it has one).</summary>
    public static IncludeChain Root(WorkflowDefinition workflow) =>
        new(workflow.Source?.Path is { Length: > 0 } path ? [(Path.GetFullPath(path), null)] : []);

    /// <summary>This chain followed by <paramref name="fullPath"/>, included at <paramref name="site"/>.</summary>
    public IncludeChain Then(string fullPath, SourceLocation? site) => new([.. _links, (fullPath, site)]);

    /// <summary>How deep the chain is: 1 for a top-level file.</summary>
    public int Depth => _links.Count;

    /// <summary>Whether <paramref name="fullPath"/> is already in the chain (including it again would loop).</summary>
    public bool Contains(string fullPath) => _links.Any(l => string.Equals(l.FullPath, fullPath, StringComparison.Ordinal));

    /// <summary>The files of the chain and then <paramref name="fullPath"/>, as "a.yaml → b.yaml → a.yaml".</summary>
    public string Describe(string fullPath) =>
        string.Join(" → ", _links.Select(static l => Display(l.FullPath)).Append(Display(fullPath)));

    /// <summary>" (included from b.yaml:3:5, from main.yaml:12:5)": innermost first, empty for a top-level file.</summary>
    public string IncludedFrom()
    {
        var sites = _links.Select(static l => l.Site).OfType<SourceLocation>().Reverse().Select(static s => s.ToString()).ToList();
        return sites.Count == 0 ? string.Empty : " (included from " + string.Join(", from ", sites) + ")";
    }

    /// <summary>A path as the user would write it: relative to the current folder when under it.</summary>
    public static string Display(string fullPath)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }
}
