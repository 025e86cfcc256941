using Flowline.State;

namespace Flowline.Core.Tests.State;

public sealed class SqliteRunStoreContractTests : RunStoreContract
{
    private readonly List<SqliteRunStore> _stores = [];

    private protected override async Task<IRunStore> CreateStoreAsync(RunStoreOptions? options = null)
    {
        var store = await SqliteRunStore.OpenAsync(Folder.StateDirectory, options, Time);
        _stores.Add(store);
        return store;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        base.Dispose(disposing);
    }
}
