namespace Flowline;

/// <summary>
/// The file a workflow was loaded from: its path, its text's SHA-256 and the position of every YAML node,
/// keyed by JSON pointer (<c>/steps/2/dependsOn/0</c>).
/// </summary>
public sealed class WorkflowSource
{
    private readonly IReadOnlyDictionary<string, SourceLocation> _locations;

    /// <summary>Creates a source description.</summary>
    public WorkflowSource(string path, string contentHash, IReadOnlyDictionary<string, SourceLocation> locations)
    {
        Path = path;
        ContentHash = contentHash;
        _locations = locations;
    }

    /// <summary>The file path as given (or the source name of parsed text).</summary>
    public string Path { get; }

    /// <summary>Lower-case hex SHA-256 of the file's text.</summary>
    public string ContentHash { get; }

    /// <summary>
    /// The location of the node at <paramref name="pointer"/>, or of its nearest ancestor that has one.
    /// A pointer ending in <c>#key</c> (<c>/steps/0/nmae#key</c>) names a mapping key rather than its value.
    /// </summary>
    public SourceLocation? Locate(string pointer)
    {
        var current = pointer;
        while (true)
        {
            if (_locations.TryGetValue(current, out var location))
            {
                return location;
            }

            if (current.Length == 0)
            {
                return null;
            }

            var hash = current.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                current = current[..hash];
                continue;
            }

            var slash = current.LastIndexOf('/');
            current = slash <= 0 ? string.Empty : current[..slash];
        }
    }
}
