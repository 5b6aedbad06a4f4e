using System.IO.Compression;

namespace FunctionalAD;

/// <summary>
/// NumPy's .npz archives: a zip file with one .npy member per named array, as <c>numpy.savez</c> (stored) and
/// <c>numpy.savez_compressed</c> (deflated) write them and <c>numpy.load</c> reads them.
/// </summary>
public static class Npz
{
    // A fixed member timestamp (the zip epoch) makes the same arrays give the same bytes on every save.
    private static readonly DateTimeOffset ZipEpoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Writes <paramref name="arrays"/> as a .npz archive: member <c>name.npy</c> holds array <c>name</c>, written as
    /// <see cref="Tensor.SaveNpy(string)"/> writes it, in the dictionary's order. <c>numpy.load(path)["name"]</c> reads it.
    /// Members carry a fixed timestamp, so saving the same arrays twice gives identical files.
    /// </summary>
    /// <param name="path">The archive to create or replace (written to a temporary sibling, then moved into place).</param>
    /// <param name="arrays">Names and tensors; names must be non-empty and distinct.</param>
    /// <param name="compressed">Deflate the members, as <c>numpy.savez_compressed</c>; stored uncompressed, as <c>numpy.savez</c>, by default.</param>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> arrays, bool compressed = false)
    {
        AtomicFile.CheckPath(path, nameof(path));
        Check(arrays);
        AtomicFile.Write(path, s => Write(s, arrays, compressed));
    }

    /// <summary>Writes a .npz archive to <paramref name="stream"/> (see <see cref="Save(string, IReadOnlyDictionary{string, Tensor}, bool)"/>); the stream stays open.</summary>
    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("the stream is not writable", nameof(stream));
        Check(arrays);
        Write(stream, arrays, compressed);
    }

    private static void Check(IReadOnlyDictionary<string, Tensor> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (var (name, t) in arrays)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("an array name is empty", nameof(arrays));
            if (t is null) throw new ArgumentException($"array '{name}' is null", nameof(arrays));
        }
    }

    private static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> arrays, bool compressed)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, t) in arrays)
        {
            var entry = zip.CreateEntry(name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            entry.LastWriteTime = ZipEpoch;
            using var s = entry.Open();
            NpyFormat.Write(s, t);
        }
    }

    /// <summary>
    /// Reads every array of a .npz archive, stored or deflated, keyed by member name without ".npy", in archive order.
    /// Each member is read as <see cref="Tensor.LoadNpy(string)"/> reads a file; nothing is returned unless all are good.
    /// </summary>
    /// <exception cref="CheckpointFormatException">
    /// The file is not a zip archive, a member is not a .npy file or is malformed (the message names the member),
    /// or two members have the same name.
    /// </exception>
    public static IReadOnlyDictionary<string, Tensor> Load(string path)
    {
        AtomicFile.CheckPath(path, nameof(path));
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(fs, path);
    }

    /// <summary>Reads a .npz archive from <paramref name="stream"/> (see <see cref="Load(string)"/>); the stream stays open.</summary>
    public static IReadOnlyDictionary<string, Tensor> Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead) throw new ArgumentException("the stream is not readable", nameof(stream));
        return Read(stream, "stream");
    }

    private static Dictionary<string, Tensor> Read(Stream stream, string source)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in zip.Entries)
            {
                // Directory entries carry no data; NumPy never writes them, but zip tools may.
                if (entry.FullName.EndsWith('/') && entry.Length == 0) continue;
                var member = entry.FullName;
                if (!member.EndsWith(".npy", StringComparison.Ordinal))
                    throw new CheckpointFormatException(source, $"member '{member}' is not a .npy array (an .npz archive holds only name.npy members)");
                var name = member[..^4];
                using var s = entry.Open();
                // The member's length comes from the archive's own directory, so it is a claim, not a fact.
                var t = NpyFormat.Read(s, trustLength: false, source, $"member '{member}'");
                if (s.ReadByte() >= 0)
                    throw new CheckpointFormatException(source, $"member '{member}': bytes follow the {t.Size} elements of shape {t.Shape} the header describes; the header does not match the data");
                if (!result.TryAdd(name, t))
                    throw new CheckpointFormatException(source, $"member '{member}' appears twice in the archive");
            }
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointFormatException(source, $"not a readable zip archive (.npz): {e.Message}");
        }
        return result;
    }
}
