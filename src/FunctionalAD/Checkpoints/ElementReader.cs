using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FunctionalAD;

/// <summary>
/// Reads a header-described run of elements from a stream into the storage of a FunctionalAD tensor, converting
/// byte order and width. The storage grows only as bytes actually arrive (or is sized at once when the stream's
/// length is known and covers the claim), so a header that claims a huge array cannot make us allocate it.
/// </summary>
internal static class ElementReader
{
    private const int ChunkBytes = 1 << 16;      // a multiple of every element width
    private const int FirstCapacity = 1 << 14;   // elements allocated before the data proves to be there

    /// <param name="stream">Positioned at the first data byte.</param>
    /// <param name="type">How the elements are stored.</param>
    /// <param name="count">How many elements the header claims.</param>
    /// <param name="trustLength">Whether the stream's Length is a fact about the bytes present (a file), not a claim read from the same untrusted file.</param>
    /// <param name="source">The file, for messages.</param>
    /// <param name="what">The array within the file, for messages.</param>
    public static Array Read(Stream stream, StoredType type, int count, bool trustLength, string source, string what)
    {
        long need = (long)count * type.Size;
        bool known = trustLength && stream.CanSeek;
        if (known)
        {
            long left = stream.Length - stream.Position;
            if (left < need)
                throw new CheckpointFormatException(source, $"{what}: the header promises {count} {type.Name} elements ({need} bytes) but only {left} bytes of data follow (truncated file?)");
        }

        var target = Allocate(type.Target, known ? count : Math.Min(count, FirstCapacity));
        var buffer = new byte[(int)Math.Min(ChunkBytes, Math.Max(need, 1))];
        int done = 0;
        while (done < count)
        {
            int want = (int)Math.Min(buffer.Length, (long)(count - done) * type.Size);
            int got = stream.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
            if (got < want)
                throw new CheckpointFormatException(source, $"{what}: the header promises {count} {type.Name} elements ({need} bytes) but the data ends after {(long)done * type.Size + got} bytes (truncated file?)");
            int n = want / type.Size;
            if (target.Length < done + n) target = Grow(target, (int)Math.Min(count, Math.Max(2L * target.Length, done + n)));
            Decode(buffer.AsSpan(0, want), type, target, done, source, what);
            done += n;
        }
        return target;
    }

    private static Array Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new float[length],
        DType.Float64 => new double[length],
        _ => new int[length],
    };

    private static Array Grow(Array a, int length)
    {
        var b = Allocate(a switch { float[] => DType.Float32, double[] => DType.Float64, _ => DType.Int32 }, length);
        Array.Copy(a, b, a.Length);
        return b;
    }

    private static void Decode(ReadOnlySpan<byte> src, StoredType type, Array target, int at, string source, string what)
    {
        int n = src.Length / type.Size;
        if (type.IsNative)
        {
            switch (target)
            {
                case float[] f: MemoryMarshal.Cast<byte, float>(src).CopyTo(f.AsSpan(at, n)); return;
                case double[] d: MemoryMarshal.Cast<byte, double>(src).CopyTo(d.AsSpan(at, n)); return;
                case int[] k: MemoryMarshal.Cast<byte, int>(src).CopyTo(k.AsSpan(at, n)); return;
            }
        }
        switch (target)
        {
            case float[] f:
                for (int i = 0; i < n; i++) f[at + i] = (float)ReadFloat(src.Slice(i * type.Size, type.Size), type);
                break;
            case double[] d:
                for (int i = 0; i < n; i++) d[at + i] = ReadFloat(src.Slice(i * type.Size, type.Size), type);
                break;
            case int[] k:
                for (int i = 0; i < n; i++)
                {
                    var e = src.Slice(i * type.Size, type.Size);
                    if (type.Kind == StoredKind.Unsigned && type.Size == 8)
                    {
                        ulong u = type.BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(e) : BinaryPrimitives.ReadUInt64LittleEndian(e);
                        k[at + i] = u <= int.MaxValue ? (int)u : throw OutOfRange(source, what, at + i, u.ToString(), type);
                    }
                    else
                    {
                        long v = ReadInteger(e, type);
                        k[at + i] = v is >= int.MinValue and <= int.MaxValue ? (int)v : throw OutOfRange(source, what, at + i, v.ToString(), type);
                    }
                }
                break;
        }
    }

    private static CheckpointFormatException OutOfRange(string source, string what, int index, string value, StoredType type) =>
        new(source, $"{what}: element {index} is {value}, outside the range of int32 (FunctionalAD holds integers as int32, and {type.Name} values are converted only when they fit)");

    private static double ReadFloat(ReadOnlySpan<byte> e, StoredType t) => (t.Kind, t.Size, t.BigEndian) switch
    {
        (StoredKind.Float, 2, false) => (double)BinaryPrimitives.ReadHalfLittleEndian(e),
        (StoredKind.Float, 2, true) => (double)BinaryPrimitives.ReadHalfBigEndian(e),
        (StoredKind.Float, 4, false) => BinaryPrimitives.ReadSingleLittleEndian(e),
        (StoredKind.Float, 4, true) => BinaryPrimitives.ReadSingleBigEndian(e),
        (StoredKind.Float, 8, false) => BinaryPrimitives.ReadDoubleLittleEndian(e),
        (StoredKind.Float, 8, true) => BinaryPrimitives.ReadDoubleBigEndian(e),
        // bfloat16 is the upper half of a float32.
        (StoredKind.BFloat, 2, false) => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(e) << 16),
        (StoredKind.BFloat, 2, true) => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16BigEndian(e) << 16),
        _ => throw new InvalidOperationException($"no float decoder for {t.Name}"),
    };

    private static long ReadInteger(ReadOnlySpan<byte> e, StoredType t) => (t.Kind, t.Size, t.BigEndian) switch
    {
        (StoredKind.Bool, 1, _) => e[0] != 0 ? 1 : 0,
        (StoredKind.Signed, 1, _) => (sbyte)e[0],
        (StoredKind.Unsigned, 1, _) => e[0],
        (StoredKind.Signed, 2, false) => BinaryPrimitives.ReadInt16LittleEndian(e),
        (StoredKind.Signed, 2, true) => BinaryPrimitives.ReadInt16BigEndian(e),
        (StoredKind.Unsigned, 2, false) => BinaryPrimitives.ReadUInt16LittleEndian(e),
        (StoredKind.Unsigned, 2, true) => BinaryPrimitives.ReadUInt16BigEndian(e),
        (StoredKind.Signed, 4, false) => BinaryPrimitives.ReadInt32LittleEndian(e),
        (StoredKind.Signed, 4, true) => BinaryPrimitives.ReadInt32BigEndian(e),
        (StoredKind.Unsigned, 4, false) => BinaryPrimitives.ReadUInt32LittleEndian(e),
        (StoredKind.Unsigned, 4, true) => BinaryPrimitives.ReadUInt32BigEndian(e),
        (StoredKind.Signed, 8, false) => BinaryPrimitives.ReadInt64LittleEndian(e),
        (StoredKind.Signed, 8, true) => BinaryPrimitives.ReadInt64BigEndian(e),
        _ => throw new InvalidOperationException($"no integer decoder for {t.Name}"),
    };

    /// <summary>
    /// The C-order (row-major) copy of elements stored in Fortran order (column-major): element (i0, ..., in-1)
    /// sits at i0 + d0·(i1 + d1·(i2 + ...)) in <paramref name="data"/>.
    /// </summary>
    public static Array FromFortranOrder(Array data, int[] dims) => dims.Length < 2 ? data : data switch
    {
        float[] f => FromFortranOrder(f, dims),
        double[] d => FromFortranOrder(d, dims),
        int[] k => FromFortranOrder(k, dims),
        _ => throw new InvalidOperationException($"unexpected storage {data.GetType().Name}"),
    };

    private static T[] FromFortranOrder<T>(T[] data, int[] dims)
    {
        var result = new T[data.Length];
        var fstride = new int[dims.Length];
        int acc = 1;
        for (int k = 0; k < dims.Length; k++) { fstride[k] = acc; acc *= dims[k]; }
        var index = new int[dims.Length];
        int src = 0;
        for (int flat = 0; flat < result.Length; flat++)
        {
            result[flat] = data[src];
            // Odometer over the C-order index, keeping the Fortran offset in step.
            for (int k = dims.Length - 1; k >= 0; k--)
            {
                src += fstride[k];
                if (++index[k] < dims[k]) break;
                src -= fstride[k] * dims[k];
                index[k] = 0;
            }
        }
        return result;
    }
}
