using Flowline.Loading;

namespace Flowline;

/// <summary>
/// The file a workflow was loaded from: its path, its text's content hash and the position of every YAML node,
/// keyed by JSON pointer (<c>/steps/2/dependsOn/0</c>).
/// </summary>
public sealed class WorkflowSource
{
    private readonly IReadOnlyDictionary<string, SourceLocation>? _locations;
    private readonly string? _text;
    private YamlNode? _root;
    private string? _contentHash;

    /// <summary>Creates a source description.</summary>
    public WorkflowSource(string path, string contentHash, IReadOnlyDictionary<string, SourceLocation> locations)
    {
        Path = path;
        _contentHash = contentHash;
        _locations = locations;
    }

    /// <summary>
    /// A source that answers pointers by walking the loader's node tree on demand: a 10,000-step file would
    /// otherwise need a few hundred thousand pointer strings that only the error path ever reads.
    /// </summary>
    /// <remarks>
    /// The hash is computed when first read (`flowline validate` and a run that keeps no state never need it), and is
    /// XXH128 (<see cref="TextHash"/>): the platform's SHA-256 would load OpenSSL on Linux, about 5 MB of resident
    /// memory (issue #7, B5 and B6).
    /// </remarks>
    internal WorkflowSource(string path, string text, YamlNode root)
    {
        Path = path;
        _text = text;
        _root = root;
    }

    /// <summary>The file path as given (or the source name of parsed text).</summary>
    public string Path { get; }

    /// <summary>True while the loader's node tree is held (tests).</summary>
    internal bool HoldsNodeTree => Volatile.Read(ref _root) is not null;

    /// <summary>
    /// Lets go of the loader's node tree once validation is done: a run keeps its definition for its whole length, and
    /// for a 10,000-step file the tree is about 15 MB that only a rare error path reads again (issue 7, B6). Positions
    /// are still answered afterwards, from a tree read again from the text on first use. Call it only after the
    /// definition has been validated: the tree read again no longer knows which nodes the loader rejected. A host that
    /// validates and then runs a large file in one process calls it before the run, as <c>flowline run</c> does.
    /// </summary>
    public void ReleaseNodeTree()
    {
        if (_text is not null)
        {
            Volatile.Write(ref _root, null);
        }
    }

    // The tree, read again from the text when it was released. Concurrent first uses may both read it; either tree
    // answers the same.
    private YamlNode? Root
    {
        get
        {
            if (_text is null)
            {
                return null;
            }

            if (Volatile.Read(ref _root) is { } root)
            {
                return root;
            }

            var reread = YamlTreeReader.Read(_text, Path, [], out _);
            Interlocked.CompareExchange(ref _root, reread, null);
            return Volatile.Read(ref _root);
        }
    }

    /// <summary>Lower-case hex XXH128 of the file's text (UTF-8): tells whether the file changed; not a security hash.</summary>
    public string ContentHash => Volatile.Read(ref _contentHash) ?? ComputeContentHash();

    private string ComputeContentHash()
    {
        var hash = TextHash.Hex(_text!);
        Interlocked.CompareExchange(ref _contentHash, hash, null);
        return _contentHash!;
    }

    /// <summary>
    /// The location of the node at <paramref name="pointer"/>, or of its nearest ancestor that has one.
    /// A pointer ending in <c>#key</c> (<c>/steps/0/nmae#key</c>) names a mapping key rather than its value.
    /// </summary>
    public SourceLocation? Locate(string pointer)
    {
        if (Root is { } root)
        {
            var node = YamlPointer.Resolve(root, pointer, nearest: true);
            return node is null ? null : new SourceLocation(Path, node.Line, node.Column);
        }

        if (_locations is null)
        {
            return null;
        }

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

    /// <summary>
    /// The location of character <paramref name="offset"/> of the string value at <paramref name="pointer"/>, for
    /// expression diagnostics: exact for single-line plain and quoted scalars (escapes before the offset counted);
    /// for block scalars (<c>|</c>, <c>&gt;</c>) the line is right and the column assumes the usual two-space indent.
    /// </summary>
    internal SourceLocation? LocateInValue(string pointer, int offset)
    {
        var root = Root;
        var node = root is null ? null : YamlPointer.Resolve(root, pointer, nearest: false);
        if (node is not YamlScalar scalar || offset < 0 || offset > scalar.Value.Length)
        {
            return Locate(pointer);
        }

        var before = scalar.Value.AsSpan(0, offset);
        var newlines = before.Count('\n');
        switch (scalar.Form)
        {
            case ScalarForm.Plain when newlines == 0:
                return new SourceLocation(Path, scalar.Line, scalar.Column + offset);
            case ScalarForm.SingleQuoted when newlines == 0:
                // '' stands for one quote.
                return new SourceLocation(Path, scalar.Line, scalar.Column + 1 + offset + before.Count('\''));
            case ScalarForm.DoubleQuoted when newlines == 0:
                return new SourceLocation(Path, scalar.Line, scalar.Column + 1 + offset + before.Count('"') + before.Count('\\'));
            case ScalarForm.Literal or ScalarForm.Folded:
                {
                    var key = YamlPointer.Resolve(root!, pointer + "#key", nearest: false);
                    var indent = key is null ? scalar.Column : key.Column + 2;
                    var lineStart = before.LastIndexOf('\n') + 1;
                    return new SourceLocation(Path, scalar.Line + 1 + newlines, indent + (offset - lineStart));
                }

            default:
                return new SourceLocation(Path, scalar.Line, scalar.Column);
        }
    }

    /// <summary>True when the file has a node exactly at <paramref name="pointer"/> (a key that is present, even if its value is empty).</summary>
    internal bool Contains(string pointer) =>
        Root is { } root ? YamlPointer.Resolve(root, pointer, nearest: false) is not null
        : _locations?.ContainsKey(pointer) == true;

    /// <summary>True when the loader already reported the node at <paramref name="pointer"/> (wrong type), so the validator need not repeat it.</summary>
    internal bool WasRejected(string pointer) =>
        Volatile.Read(ref _root) is { } root && YamlPointer.Resolve(root, pointer, nearest: false) is { Rejected: true };
}
