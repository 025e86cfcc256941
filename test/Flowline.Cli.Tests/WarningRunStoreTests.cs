using System.Reflection;
using Flowline.Cli.Commands;
using Flowline.State;

namespace Flowline.Cli.Tests;

public sealed class WarningRunStoreTests
{
    [Theory]
    [InlineData(typeof(IRunWriter))]
    [InlineData(typeof(IRunReader))]
    [InlineData(typeof(IRunStore))]
    public void The_decorator_implements_every_store_method_itself_so_none_falls_back_to_an_interface_default(Type seam)
    {
        // IRunStore is IRunWriter + IRunReader + PruneAsync, and the seams have default implementations
        // (StepsChangedAsync, GetStepDurationsAsync); a decorator that does not declare one silently answers with the
        // default instead of asking the real store. Every seam is checked, as its own map lists only its own methods.
        var map = typeof(WarningRunStore).GetInterfaceMap(seam);

        var notDeclared = map.TargetMethods
            .Where(method => method.DeclaringType != typeof(WarningRunStore))
            .Select(method => method.Name)
            .ToList();

        Assert.Empty(notDeclared);
        Assert.Equal(seam.GetMethods(BindingFlags.Public | BindingFlags.Instance).Length, map.TargetMethods.Length);
    }

    [Fact]
    public void The_store_is_exactly_its_two_seams_pruning_and_cancel_requests()
    {
        Assert.Equal([typeof(IRunReader), typeof(IRunWriter)], typeof(IRunStore).GetInterfaces().OrderBy(type => type.Name));
        Assert.Equal(["PruneAsync", "RequestCancelAsync"], typeof(IRunStore).GetMethods().Select(method => method.Name).Order(StringComparer.Ordinal));
        Assert.Equal(18, new[] { typeof(IRunWriter), typeof(IRunReader), typeof(IRunStore) }.Sum(seam => seam.GetMethods().Length));
    }
}
