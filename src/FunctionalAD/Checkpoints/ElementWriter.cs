using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FunctionalAD;

/// <summary>Writes a tensor's elements in row-major order, little-endian, as .npy and safetensors both store them.</summary>
internal static class ElementWriter
{
    public static void Write(Stream stream, Tensor t)
    {
        if (BitConverter.IsLittleEndian)
        {
            switch (t.Data)
            {
                case float[] f: stream.Write(MemoryMarshal.AsBytes(f.AsSpan())); break;
                case double[] d: stream.Write(MemoryMarshal.AsBytes(d.AsSpan())); break;
                case int[] k: stream.Write(MemoryMarshal.AsBytes(k.AsSpan())); break;
            }
            GC.KeepAlive(t);  // the span outlives the last use of t; t's lease must not recycle the array meanwhile
            return;
        }
        var e = new byte[8];
        for (int i = 0; i < t.Size; i++)
        {
            switch (t.Data)
            {
                case float[] f: BinaryPrimitives.WriteSingleLittleEndian(e, f[i]); stream.Write(e, 0, 4); break;
                case double[] d: BinaryPrimitives.WriteDoubleLittleEndian(e, d[i]); stream.Write(e, 0, 8); break;
                case int[] k: BinaryPrimitives.WriteInt32LittleEndian(e, k[i]); stream.Write(e, 0, 4); break;
            }
        }
    }

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int SizeOf(DType dtype) => dtype == DType.Float64 ? 8 : 4;
}
