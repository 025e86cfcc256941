using System.Runtime.InteropServices;

namespace Flowline.Execution.Processes;

/// <content>The glibc and Linux calls of the <c>posix_spawn</c> launch path (see <see cref="SpawnedProcess"/>).</content>
internal static unsafe partial class LibC
{
    /// <summary>ENOSYS: the kernel or C library lacks the call.</summary>
    public const int ErrorNoSys = 38;

    /// <summary>EINTR: interrupted by a signal; retry.</summary>
    public const int ErrorInterrupted = 4;

    /// <summary>ECHILD: no such child (somebody else reaped it).</summary>
    public const int ErrorNoChild = 10;

    /// <summary>O_CLOEXEC for <c>pipe2</c> and <c>open</c>.</summary>
    public const int OpenCloseOnExec = 0x80000;

    /// <summary>O_RDONLY.</summary>
    public const int OpenReadOnly = 0;

    /// <summary>POSIX_SPAWN_SETSIGDEF.</summary>
    public const short SpawnSetSigDefault = 0x04;

    /// <summary>POSIX_SPAWN_SETSIGMASK.</summary>
    public const short SpawnSetSigMask = 0x08;

    /// <summary>POSIX_SPAWN_SETSID (glibc 2.26): the child calls <c>setsid()</c>, so its pid is also its process group id.</summary>
    public const short SpawnSetSid = 0x80;

    /// <summary>WNOHANG.</summary>
    public const int WaitNoHang = 1;

    /// <summary>SIGCHLD.</summary>
    public const int SigChild = 17;

    /// <summary>EPOLLIN.</summary>
    public const uint EpollIn = 1;

    /// <summary>EPOLL_CTL_ADD.</summary>
    public const int EpollAdd = 1;

    /// <summary>EPOLL_CTL_DEL.</summary>
    public const int EpollDelete = 2;

    /// <summary>Bytes reserved for a <c>posix_spawn_file_actions_t</c> (80 on x86-64 and arm64 glibc).</summary>
    public const int FileActionsSize = 256;

    /// <summary>Bytes reserved for a <c>posix_spawnattr_t</c> (336 on x86-64 and arm64 glibc).</summary>
    public const int SpawnAttrSize = 512;

    /// <summary>Bytes reserved for a <c>sigset_t</c> (128 in glibc).</summary>
    public const int SigSetSize = 128;

    private const long SysPidfdOpen = 434; // the same number on every Linux architecture since 5.3

    /// <summary><c>getpid(2)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int GetPid();

    /// <summary><c>pipe2(2)</c>: <c>fds[0]</c> reads, <c>fds[1]</c> writes.</summary>
    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    /// <summary><c>close(2)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary><c>posix_spawn_file_actions_init(3)</c>; returns an error number.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* actions);

    /// <summary><c>posix_spawn_file_actions_destroy(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* actions);

    /// <summary><c>posix_spawn_file_actions_adddup2(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(void* actions, int fd, int newFd);

    /// <summary><c>posix_spawn_file_actions_addopen(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    public static partial int FileActionsAddOpen(void* actions, int fd, byte* path, int flags, int mode);

    /// <summary><c>posix_spawn_file_actions_addchdir_np(3)</c> (glibc 2.29).</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int FileActionsAddChdir(void* actions, byte* path);

    /// <summary><c>posix_spawnattr_init(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    public static partial int SpawnAttrInit(void* attr);

    /// <summary><c>posix_spawnattr_destroy(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    public static partial int SpawnAttrDestroy(void* attr);

    /// <summary><c>posix_spawnattr_setflags(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    public static partial int SpawnAttrSetFlags(void* attr, short flags);

    /// <summary><c>posix_spawnattr_setsigmask(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int SpawnAttrSetSigMask(void* attr, void* mask);

    /// <summary><c>posix_spawnattr_setsigdefault(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int SpawnAttrSetSigDefault(void* attr, void* signals);

    /// <summary><c>sigemptyset(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    public static partial int SigEmptySet(void* set);

    /// <summary><c>sigfillset(3)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "sigfillset")]
    public static partial int SigFillSet(void* set);

    /// <summary><c>posix_spawn(3)</c>; returns 0 or an error number (exec failures included: glibc reports them).</summary>
    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    public static partial int PosixSpawn(int* pid, byte* path, void* actions, void* attr, byte** argv, byte** envp);

    /// <summary><c>waitpid(2)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    /// <summary><c>sigaction(2)</c>: queries with <paramref name="action"/> null, else sets.</summary>
    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    public static partial int SigAction(int signal, void* action, void* oldAction);

    /// <summary><c>epoll_create1(2)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    /// <summary><c>epoll_ctl(2)</c>; <paramref name="evt"/> points to a <c>struct epoll_event</c>.</summary>
    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, void* evt);

    /// <summary><c>epoll_wait(2)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, void* events, int maxEvents, int timeout);

    /// <summary><c>pidfd_open(2)</c> (Linux 5.3) through <c>syscall(2)</c>; a close-on-exec descriptor or -1.</summary>
    public static int PidfdOpen(int pid) => (int)Syscall(SysPidfdOpen, pid, 0);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long arg1, long arg2);
}
