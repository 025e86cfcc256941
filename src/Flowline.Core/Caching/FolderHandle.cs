using Microsoft.Win32.SafeHandles;

namespace Flowline.Caching;

/// <summary>An open folder that <see cref="FileStat"/> looks paths up from (Linux <c>O_PATH</c>); closed on dispose.</summary>
internal sealed class FolderHandle : SafeHandleMinusOneIsInvalid
{
    public FolderHandle(int descriptor)
        : base(ownsHandle: true) => SetHandle(descriptor);

    protected override bool ReleaseHandle() => FileStat.Close((int)handle) == 0;
}
