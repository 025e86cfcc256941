using System.Text.Json;

namespace Flowline.Cli.Tests;

/// <summary>
/// The installed tool is the native one (issue 15): the CLI project packs a RID-specific tool, Native AOT for the
/// packing machine's Linux RID and the framework-dependent <c>any</c> package for every other platform. This reads the
/// project's evaluated properties; <c>.ci/run</c> packs, installs and runs the tool itself.
/// </summary>
public sealed class ToolPackageTests
{
    private static readonly string[] Properties = ["NETCoreSdkRuntimeIdentifier", "ToolPackageRuntimeIdentifiers", "PublishAot", "PackAsTool"];

    [Fact]
    public async Task The_tool_is_packed_native_for_this_machines_linux_rid_with_the_framework_dependent_package_as_fallback()
    {
        var properties = await EvaluateAsync();

        var sdkRid = properties["NETCoreSdkRuntimeIdentifier"];
        Assert.Equal("true", properties["PackAsTool"]);
        if (sdkRid is "linux-x64" or "linux-arm64")
        {
            Assert.Equal($"{sdkRid};any", properties["ToolPackageRuntimeIdentifiers"]);
            Assert.Equal("true", properties["PublishAot"]);
        }
        else
        {
            Assert.Equal("", properties["ToolPackageRuntimeIdentifiers"]);
        }
    }

    [Fact]
    public async Task FlowlineNativeTool_false_packs_the_framework_dependent_tool_alone()
    {
        var properties = await EvaluateAsync("-p:FlowlineNativeTool=false");

        Assert.Equal("", properties["ToolPackageRuntimeIdentifiers"]);
        Assert.NotEqual("true", properties["PublishAot"]);
    }

    private static async Task<Dictionary<string, string>> EvaluateAsync(params string[] extra)
    {
        var project = Path.Combine(RepoPaths.Root, "src", "Flowline.Cli", "Flowline.Cli.csproj");
        string[] args = ["msbuild", project, "-nologo", .. Properties.Select(p => "-getProperty:" + p), .. extra];
        using var cli = FlowlineProcess.StartCommand(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", args, new Dictionary<string, string>());

        // Evaluation only (no restore, no build); the bound is generous for a loaded machine, not a timing assertion.
        Assert.Equal(0, await cli.WaitForExitAsync(TimeSpan.FromMinutes(5)));
        using var json = JsonDocument.Parse(cli.Stdout);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }
}
