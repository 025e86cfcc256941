using System.Runtime.CompilerServices;
using System.Text;

namespace Flowline.Caching;

/// <summary>
/// What decided a run in which every step was up to date (issue 14, docs/caching.md "Whole-run check"): the workflow
/// file's content hash, and every source file's size and modification time, every folder a glob listed, every path
/// found missing and every declared output. While all of it still holds, and the command line and environment are
/// the same (<see cref="CallKey"/>), the next run is up to date too, and <c>flowline run</c> records it without
/// loading the workflow, as ninja decides a no-op build from its log and the files' times alone.
/// </summary>
internal sealed record RunManifest
{
    private const byte FormatVersion = 1;

    // Fewer entries than this per core are checked on one thread: starting another costs more than it saves.
    private const int EntriesPerPart = 1_000;

    private const int MaxParts = 4;

    /// <summary>What the command line and environment were (<c>flowline run</c> computes it); another call key is another manifest.</summary>
    public required string CallKey { get; init; }

    /// <summary>The environment variables the run read besides Flowline's own (its declared secrets): part of <see cref="CallKey"/>.</summary>
    public required IReadOnlyList<string> EnvironmentNames { get; init; }

    /// <summary>The workflow file's content hash (<see cref="WorkflowSource.ContentHash"/>).</summary>
    public required string ContentHash { get; init; }

    /// <summary>The workflow's folder, a full path: relative entries are looked up from it.</summary>
    public required string Folder { get; init; }

    /// <summary>The run's step ids in the workflow's order, as its summary lists them.</summary>
    public required IReadOnlyList<string> StepIds { get; init; }

    /// <summary>The paths looked at, each once.</summary>
    public required IReadOnlyList<ManifestEntry> Entries { get; init; }

    /// <summary>
    /// Whether everything the manifest saw is still so: the workflow file at <paramref name="workflowPath"/> has the
    /// same content, each source file the same size and time, each listed folder the same time (or else the same
    /// names), each missing path is still missing and each output is there. Stops at the first difference.
    /// </summary>
    public bool Holds(string workflowPath)
    {
        if (!FileStat.Available)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(workflowPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        if (Loading.SourceText.Decode(bytes, workflowPath, []) is not { } text || TextHash.Hex(text) != ContentHash)
        {
            return false;
        }

        using var handle = FileStat.OpenFolder(Folder);
        var parts = Math.Clamp(Math.Min(Environment.ProcessorCount, Entries.Count / EntriesPerPart), 1, MaxParts);
        if (parts == 1)
        {
            return HoldsFrom(handle, 0, Entries.Count, null);
        }

        // The stat calls are most of the check and the kernel answers them in parallel: one share per core, each
        // stopping as soon as any share finds a difference.
        var changed = new StrongBox<bool>();
        var others = new Task<bool>[parts - 1];
        for (var part = 1; part < parts; part++)
        {
            var (from, to) = (Entries.Count * part / parts, Entries.Count * (part + 1) / parts);
            others[part - 1] = Task.Run(() => HoldsFrom(handle, from, to, changed));
        }

        var first = HoldsFrom(handle, 0, Entries.Count / parts, changed);
        Task.WaitAll(others);
        return first && others.All(static share => share.Result);
    }

    private bool HoldsFrom(FolderHandle? handle, int from, int to, StrongBox<bool>? changed)
    {
        for (var i = from; i < to; i++)
        {
            if ((i & 63) == 0 && changed is not null && Volatile.Read(ref changed.Value))
            {
                return false;
            }

            if (!Holds(handle, Entries[i]))
            {
                if (changed is not null)
                {
                    Volatile.Write(ref changed.Value, true);
                }

                return false;
            }
        }

        return true;
    }

    private bool Holds(FolderHandle? handle, ManifestEntry entry)
    {
        if (entry.Kind == ManifestEntryKind.Present)
        {
            return CacheOutputs.Exist(handle, Folder, entry.Path);
        }

        var found = RunManifestBuilder.Look(handle, Folder, entry.Path, out var facts);
        return entry.Kind switch
        {
            ManifestEntryKind.File => found && facts.Type != FileStat.DirectoryType && facts.Size == entry.Size && facts.ModifiedTicks == entry.ModifiedTicks,
            ManifestEntryKind.Folder => found && facts.Type == FileStat.DirectoryType
                && (facts.ModifiedTicks == entry.ModifiedTicks || GlobWalk.NamesHash(Path.Combine(Folder, entry.Path)) == unchecked((ulong)entry.Size)),
            _ => !found,
        };
    }

    /// <summary>The manifest as the store keeps it: a version byte, then length-prefixed UTF-8 strings and 64-bit numbers.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream(64 + Entries.Count * 48);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(CallKey);
            WriteStrings(writer, EnvironmentNames);
            writer.Write(ContentHash);
            writer.Write(Folder);
            WriteStrings(writer, StepIds);
            writer.Write(Entries.Count);
            foreach (var entry in Entries)
            {
                writer.Write((byte)entry.Kind);
                writer.Write(entry.Path);
                writer.Write(entry.Size);
                writer.Write(entry.ModifiedTicks);
            }
        }

        return stream.ToArray();
    }

    /// <summary>The manifest in <paramref name="bytes"/>; null when they are not one this Flowline wrote.</summary>
    public static RunManifest? FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            if (reader.ReadByte() != FormatVersion)
            {
                return null;
            }

            var callKey = reader.ReadString();
            if (ReadStrings(reader, bytes.Length) is not { } names)
            {
                return null;
            }

            var contentHash = reader.ReadString();
            var folder = reader.ReadString();
            if (ReadStrings(reader, bytes.Length) is not { } stepIds)
            {
                return null;
            }

            var count = reader.ReadInt32();
            if (count < 0 || count > bytes.Length)
            {
                return null;
            }

            var entries = new ManifestEntry[count];
            for (var i = 0; i < count; i++)
            {
                var kind = (ManifestEntryKind)reader.ReadByte();
                if (!Enum.IsDefined(kind))
                {
                    return null;
                }

                entries[i] = new ManifestEntry(kind, reader.ReadString(), reader.ReadInt64(), reader.ReadInt64());
            }

            return new RunManifest { CallKey = callKey, EnvironmentNames = names, ContentHash = contentHash, Folder = folder, StepIds = stepIds, Entries = entries };
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> texts)
    {
        writer.Write(texts.Count);
        foreach (var text in texts)
        {
            writer.Write(text);
        }
    }

    // Null when the count cannot be right (each string takes at least one byte).
    private static string[]? ReadStrings(BinaryReader reader, int length)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > length)
        {
            return null;
        }

        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            texts[i] = reader.ReadString();
        }

        return texts;
    }
}
