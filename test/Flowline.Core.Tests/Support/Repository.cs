namespace Flowline.Core.Tests.Support;

/// <summary>Paths inside the repository, found by walking up from the test binaries to Flowline.slnx.</summary>
internal static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Examples => Path.Combine(Root, "examples");

    public static string InvalidData => Path.Combine(Root, "test", "Flowline.Core.Tests", "Data", "invalid");

    public static string Schema => Path.Combine(Root, "schema", "flowline.schema.json");

    /// <summary>Every example, in its folders too (examples/reuse/, issue 14).</summary>
    public static IEnumerable<string> ExampleFiles() =>
        Directory.EnumerateFiles(Examples, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    /// <summary>An example's name as the tests show it: its path under examples/ (reuse/main.yaml).</summary>
    public static string ExampleName(string path) => Path.GetRelativePath(Examples, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flowline.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Flowline.slnx above {AppContext.BaseDirectory}.");
    }
}
