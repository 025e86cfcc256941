using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace Flowline.Expressions.Tests;

public sealed class PublicApiTests
{
    /// <summary>
    /// Pins the public API Core codes against (STYLE rule 6). On a deliberate change, copy the
    /// .received.txt written next to the approved file over it.
    /// </summary>
    [Fact]
    public void Public_api_has_not_changed_unintentionally()
    {
        var actual = typeof(Expression).Assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Runtime.CompilerServices.InternalsVisibleToAttribute"] })
            .ReplaceLineEndings("\n");
        var approvedPath = Path.Combine(SourceDirectory(), "PublicApi", "Flowline.Expressions.approved.txt");
        var receivedPath = Path.ChangeExtension(approvedPath, null).Replace(".approved", ".received", StringComparison.Ordinal) + ".txt";
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";

        if (actual != approved)
        {
            File.WriteAllText(receivedPath, actual);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        Assert.True(actual == approved, $"The public API changed; review {receivedPath} and copy it over {approvedPath} if intended.");
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
