using System.Reflection;
using Flowline.Cli.Commands;
using Flowline.State;

namespace Flowline.Cli.Tests;

public sealed class WarningRunStoreTests
{
    [Fact]
    public void The_decorator_implements_every_store_method_itself_so_none_falls_back_to_an_interface_default()
    {
        // IRunStore has default implementations (StepsChangedAsync, GetStepDurationsAsync); a decorator that does not
        // declare one silently answers with the default instead of asking the real store.
        var map = typeof(WarningRunStore).GetInterfaceMap(typeof(IRunStore));

        var notDeclared = map.TargetMethods
            .Where(method => method.DeclaringType != typeof(WarningRunStore))
            .Select(method => method.Name)
            .ToList();

        Assert.Empty(notDeclared);
        Assert.Equal(typeof(IRunStore).GetMethods(BindingFlags.Public | BindingFlags.Instance).Length, map.TargetMethods.Length);
    }
}
