using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.Json;

namespace Flowline.Core.Tests.State;

/// <summary>
/// Copies a helper app the tests build (its dll, deps.json, runtimeconfig.json and every file its deps.json loads)
/// into a folder another user can read (issue 18): a test that runs the helper as <c>nobody</c> must not depend on
/// where the repository was cloned, and a clone in a 0700 folder (<c>mktemp -d</c>, <c>/root</c>) hides the build
/// output from everyone but its owner.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class ReadableByAnyone
{
    private const UnixFileMode Folder =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Copies <paramref name="app"/> (a path to its dll) and its files into <paramref name="target"/>; returns the copied dll.</summary>
    public static string CopyApp(string app, string target)
    {
        var source = Path.GetDirectoryName(app)!;
        var name = Path.GetFileNameWithoutExtension(app);
        var files = new List<string> { $"{name}.dll", $"{name}.deps.json", $"{name}.runtimeconfig.json" };
        files.AddRange(FilesIn(Path.Combine(source, $"{name}.deps.json")));

        CreateFolder(target);
        foreach (var file in files.Distinct(StringComparer.Ordinal).Where(f => System.IO.File.Exists(Path.Combine(source, f))))
        {
            var to = Path.Combine(target, file);
            CreateFolder(Path.GetDirectoryName(to)!);
            System.IO.File.Copy(Path.Combine(source, file), to, overwrite: true);
            System.IO.File.SetUnixFileMode(to, File);
        }

        return Path.Combine(target, $"{name}.dll");
    }

    /// <summary>Makes <paramref name="folder"/> (and its missing parents) readable and listable by everyone.</summary>
    public static void CreateFolder(string folder)
    {
        var missing = new Stack<string>();
        for (var f = folder; !Directory.Exists(f); f = Path.GetDirectoryName(f)!)
        {
            missing.Push(f);
        }

        Directory.CreateDirectory(folder);
        System.IO.File.SetUnixFileMode(folder, Folder);
        foreach (var created in missing)
        {
            System.IO.File.SetUnixFileMode(created, Folder);
        }
    }

    // The managed assemblies sit next to the app; native ones under runtimes/RID/, of which only this machine's
    // are copied when deps.json names it (a distribution's own RID falls back to all of them).
    private static IEnumerable<string> FilesIn(string depsJson)
    {
        using var deps = JsonDocument.Parse(System.IO.File.ReadAllText(depsJson));
        var libraries = deps.RootElement.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject().Select(l => l.Value).ToList();
        var targets = libraries
            .Where(l => l.TryGetProperty("runtimeTargets", out _))
            .SelectMany(l => l.GetProperty("runtimeTargets").EnumerateObject())
            .Select(t => (Path: t.Name, Rid: t.Value.TryGetProperty("rid", out var rid) ? rid.GetString() : null))
            .ToList();
        var here = targets.Where(t => t.Rid == RuntimeInformation.RuntimeIdentifier).ToList();
        foreach (var (path, _) in here.Count > 0 ? here : targets)
        {
            yield return path;
        }

        foreach (var kind in new[] { "runtime", "native" })
        {
            foreach (var library in libraries.Where(l => l.TryGetProperty(kind, out _)))
            {
                foreach (var asset in library.GetProperty(kind).EnumerateObject())
                {
                    yield return Path.GetFileName(asset.Name);
                }
            }
        }
    }
}
