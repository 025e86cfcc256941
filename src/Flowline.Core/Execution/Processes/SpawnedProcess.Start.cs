using System.Collections;
using System.Runtime.InteropServices;
using System.Text;

namespace Flowline.Execution.Processes;

/// <content>Starting the process: argv, envp, pipes, file actions and attributes for one <c>posix_spawn</c>.</content>
internal sealed unsafe partial class SpawnedProcess
{
    private static readonly byte[] DevNull = "/dev/null\0"u8.ToArray();

    /// <summary>
    /// Starts <paramref name="path"/> (an absolute, resolved program) with <paramref name="arguments"/> in
    /// <paramref name="workingDirectory"/>, with this process's environment plus <paramref name="environment"/>;
    /// stdin is a pipe when <paramref name="withInput"/>, else <c>/dev/null</c>. Returns null and the error number
    /// when it could not be started (glibc reports exec failures, e.g. a missing '#!' interpreter, here too).
    /// </summary>
    public static SpawnedProcess? Start(
        string path,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        bool withInput,
        out int error,
        IReadOnlyCollection<string>? unset = null)
    {
        var fds = stackalloc int[6] { -1, -1, -1, -1, -1, -1 }; // stdin r/w, stdout r/w, stderr r/w
        var actions = NativeMemory.AllocZeroed(LibC.FileActionsSize);
        var attr = NativeMemory.AllocZeroed(LibC.SpawnAttrSize);
        var block = NativeBlock.Build(path, arguments, workingDirectory, environment, unset ?? []);
        var actionsReady = false;
        var attrReady = false;
        try
        {
            if ((withInput && LibC.Pipe2(fds, LibC.OpenCloseOnExec) != 0)
                || LibC.Pipe2(fds + 2, LibC.OpenCloseOnExec) != 0
                || LibC.Pipe2(fds + 4, LibC.OpenCloseOnExec) != 0)
            {
                error = Marshal.GetLastPInvokeError();
                CloseAll(fds, 6);
                return null;
            }

            actionsReady = LibC.FileActionsInit(actions) == 0;
            attrReady = LibC.SpawnAttrInit(attr) == 0;
            var signals = stackalloc byte[LibC.SigSetSize];
            fixed (byte* devNull = DevNull)
            {
                error = !actionsReady || !attrReady ? 12 /* ENOMEM */
                    : withInput ? LibC.FileActionsAddDup2(actions, fds[0], 0)
                    : LibC.FileActionsAddOpen(actions, 0, devNull, LibC.OpenReadOnly, 0);
                error = error != 0 ? error : LibC.FileActionsAddDup2(actions, fds[3], 1);
                error = error != 0 ? error : LibC.FileActionsAddDup2(actions, fds[5], 2);
                error = error != 0 ? error : LibC.FileActionsAddChdir(actions, block.WorkingDirectory);
                error = error != 0 ? error : LibC.SpawnAttrSetFlags(attr, LibC.SpawnSetSid | LibC.SpawnSetSigMask | LibC.SpawnSetSigDefault);
                _ = LibC.SigEmptySet(signals);
                error = error != 0 ? error : LibC.SpawnAttrSetSigMask(attr, signals);
                _ = LibC.SigFillSet(signals);
                error = error != 0 ? error : LibC.SpawnAttrSetSigDefault(attr, signals);

                var pid = 0;
                error = error != 0 ? error : LibC.PosixSpawn(&pid, block.Path, actions, attr, block.Argv, block.Envp);

                // The child's ends belong to the child now (or to nobody, on failure).
                _ = LibC.Close(fds[3]);
                _ = LibC.Close(fds[5]);
                if (withInput)
                {
                    _ = LibC.Close(fds[0]);
                }

                if (error != 0)
                {
                    _ = LibC.Close(fds[2]);
                    _ = LibC.Close(fds[4]);
                    if (withInput)
                    {
                        _ = LibC.Close(fds[1]);
                    }

                    return null;
                }

                var process = new SpawnedProcess(pid, fds[2], fds[4], withInput ? fds[1] : -1);
                SpawnReaper.Watch(process, LibC.PidfdOpen(pid));
                return process;
            }
        }
        finally
        {
            if (actionsReady)
            {
                _ = LibC.FileActionsDestroy(actions);
            }

            if (attrReady)
            {
                _ = LibC.SpawnAttrDestroy(attr);
            }

            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            block.Free();
        }
    }

    private static void CloseAll(int* fds, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (fds[i] >= 0)
            {
                _ = LibC.Close(fds[i]);
            }
        }
    }

    /// <summary>
    /// The NUL-terminated strings of one spawn and the argv/envp pointer arrays into them, in a single native
    /// allocation. The environment is read from <see cref="Environment"/> on every spawn, not cached: .NET keeps
    /// its own copy, which <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes and children
    /// must see (as with <see cref="System.Diagnostics.Process"/>).
    /// </summary>
    private readonly struct NativeBlock
    {
        private readonly byte* _memory;

        private NativeBlock(byte* memory, byte* path, byte* workingDirectory, byte** argv, byte** envp)
        {
            _memory = memory;
            Path = path;
            WorkingDirectory = workingDirectory;
            Argv = argv;
            Envp = envp;
        }

        public byte* Path { get; }

        public byte* WorkingDirectory { get; }

        public byte** Argv { get; }

        public byte** Envp { get; }

        public static NativeBlock Build(
            string path,
            IReadOnlyList<string> arguments,
            string workingDirectory,
            IReadOnlyDictionary<string, string> environment,
            IReadOnlyCollection<string> unset)
        {
            var inherited = new List<(string Name, string Value)>();
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                if (entry is { Key: string name, Value: string value } && !environment.ContainsKey(name) && (unset.Count == 0 || !unset.Contains(name)))
                {
                    inherited.Add((name, value));
                }
            }

            var utf8 = Encoding.UTF8;
            var pointers = arguments.Count + 2 + inherited.Count + environment.Count + 1;
            long bytes = utf8.GetByteCount(path) + 1 + utf8.GetByteCount(workingDirectory) + 1;
            foreach (var argument in arguments)
            {
                bytes += utf8.GetByteCount(argument) + 1;
            }

            foreach (var (name, value) in inherited)
            {
                bytes += utf8.GetByteCount(name) + utf8.GetByteCount(value) + 2;
            }

            foreach (var (name, value) in environment)
            {
                bytes += utf8.GetByteCount(name) + utf8.GetByteCount(value) + 2;
            }

            var memory = (byte*)NativeMemory.Alloc((nuint)((pointers * sizeof(byte*)) + bytes));
            var table = (byte**)memory;
            var cursor = memory + (pointers * sizeof(byte*));
            var pathPtr = Put(ref cursor, path, null);
            var cwdPtr = Put(ref cursor, workingDirectory, null);

            var argv = table;
            var slot = 0;
            argv[slot++] = pathPtr;
            foreach (var argument in arguments)
            {
                argv[slot++] = Put(ref cursor, argument, null);
            }

            argv[slot++] = null;
            var envp = table + slot;
            foreach (var (name, value) in inherited)
            {
                table[slot++] = Put(ref cursor, name, value);
            }

            foreach (var (name, value) in environment)
            {
                table[slot++] = Put(ref cursor, name, value);
            }

            table[slot] = null;
            return new NativeBlock(memory, pathPtr, cwdPtr, argv, envp);
        }

        public void Free() => NativeMemory.Free(_memory);

        // Writes "text\0" or "text=value\0" at cursor and returns where it starts.
        private static byte* Put(ref byte* cursor, string text, string? value)
        {
            var start = cursor;
            cursor += Encoding.UTF8.GetBytes(text, new Span<byte>(cursor, int.MaxValue));
            if (value is not null)
            {
                *cursor++ = (byte)'=';
                cursor += Encoding.UTF8.GetBytes(value, new Span<byte>(cursor, int.MaxValue));
            }

            *cursor++ = 0;
            return start;
        }
    }
}
