using System.Reflection;
using System.Runtime.CompilerServices;
using Flowline.Testing;
using PublicApiGenerator;

namespace Flowline.Core.Tests.PublicApi;

/// <summary>
/// Pins the public API of Flowline.Core and Flowline.Testing (STYLE rule 6): what users name is public, the rest is
/// internal. On a deliberate change, copy the .received.txt written next to the approved file over it.
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("Flowline.Core")]
    [InlineData("Flowline.Testing")]
    public void Public_api_has_not_changed_unintentionally(string assemblyName)
    {
        var assembly = assemblyName == "Flowline.Core" ? typeof(WorkflowRunner).Assembly : typeof(FakeStepExecutor).Assembly;
        var actual = Generate(assembly);
        var approvedPath = Path.Combine(SourceDirectory(), $"{assemblyName}.approved.txt");
        var receivedPath = Path.Combine(SourceDirectory(), $"{assemblyName}.received.txt");
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

    private static string Generate(Assembly assembly) =>
        assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Runtime.CompilerServices.InternalsVisibleToAttribute"],
        }).ReplaceLineEndings("\n");

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
