using System.Buffers.Binary;
using System.Text;

namespace FunctionalAD.Bench.Peer;

/// <summary>
/// Marks one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK in the
/// <c>vna_flags</c> of its Vernaux entry in <c>.gnu.version_r</c>). The dynamic loader then loads the library
/// on a system whose libstdc++ lacks that version instead of refusing it outright.
/// </summary>
public static class ElfVersionPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>What a patch attempt found.</summary>
    public enum Outcome { Patched, AlreadyWeak, VersionNotRequired }

    /// <summary>
    /// Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="version"/> in <paramref name="path"/>,
    /// rewriting only those two-byte flag fields in place.
    /// </summary>
    public static Outcome MarkVersionWeak(string path, string version)
    {
        byte[] image = File.ReadAllBytes(path);
        var offsets = FindVernauxFlags(image, version);
        if (offsets.Count == 0) return Outcome.VersionNotRequired;

        var toPatch = offsets.Where(o => (BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(o)) & VerFlgWeak) == 0).ToList();
        if (toPatch.Count == 0) return Outcome.AlreadyWeak;

        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        Span<byte> flags = stackalloc byte[2];
        foreach (int offset in toPatch)
        {
            ushort patched = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(offset)) | VerFlgWeak);
            BinaryPrimitives.WriteUInt16LittleEndian(flags, patched);
            file.Position = offset;
            file.Write(flags);
        }
        return Outcome.Patched;
    }

    /// <summary>File offsets of the <c>vna_flags</c> fields of the Vernaux entries named <paramref name="version"/>.</summary>
    public static List<int> FindVernauxFlags(ReadOnlySpan<byte> image, string version)
    {
        // Only little-endian ELF64 is handled: the library is linux-x64.
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");

        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(image[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3C..]);

        var found = new List<int>();
        for (int i = 0; i < shnum; i++)
        {
            var sh = Section(image, shoff, shentsize, i);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtGnuVerneed) continue;

            int verneedOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]));
            int strtabIndex = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]); // sh_link names .dynstr
            int verneedCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x2C..]); // sh_info counts Verneed entries
            int strtabOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(Section(image, shoff, shentsize, strtabIndex)[0x18..]));

            int need = verneedOffset;
            for (int n = 0; n < verneedCount; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(image[(need + 2)..]);
                int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(image[(need + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameOffset = strtabOffset + (int)BinaryPrimitives.ReadUInt32LittleEndian(image[(aux + 8)..]);
                    if (CString(image, nameOffset) == version) found.Add(aux + 4);
                    uint nextAux = BinaryPrimitives.ReadUInt32LittleEndian(image[(aux + 12)..]);
                    if (nextAux == 0) break;
                    aux += (int)nextAux;
                }
                uint nextNeed = BinaryPrimitives.ReadUInt32LittleEndian(image[(need + 12)..]);
                if (nextNeed == 0) break;
                need += (int)nextNeed;
            }
        }
        return found;
    }

    private static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> image, ulong shoff, int shentsize, int index) =>
        image.Slice(checked((int)shoff + index * shentsize), shentsize);

    private static string CString(ReadOnlySpan<byte> image, int offset)
    {
        int end = image[offset..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? image[offset..] : image.Slice(offset, end));
    }
}
