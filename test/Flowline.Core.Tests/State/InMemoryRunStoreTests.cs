using Flowline.State;
using Flowline.Testing;

namespace Flowline.Core.Tests.State;

public sealed class InMemoryRunStoreTests : RunStoreContract
{
    private protected override Task<IRunStore> CreateStoreAsync(RunStoreOptions? options = null) =>
        Task.FromResult<IRunStore>(new InMemoryRunStore(options, Time));
}
