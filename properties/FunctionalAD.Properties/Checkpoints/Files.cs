using System.Text;
using FunctionalAD;

namespace FunctionalAD.Properties.Checkpoints;

/// <summary>Fixture paths, scratch files, the formulas the fixtures were made from, and byte-level file builders.</summary>
internal static class Files
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static byte[] FixtureBytes(string name) => File.ReadAllBytes(Fixture(name));

    /// <summary>A fresh path in a per-test scratch folder.</summary>
    public static string Scratch(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "functionalad-checkpoints", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    public static string ScratchWith(string name, byte[] bytes)
    {
        var path = Scratch(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>0.5·k − 1 for k = 0, 1, ... in row-major order (make_npy_fixtures.py's base).</summary>
    public static Tensor Base(DType dtype, params int[] dims)
    {
        var shape = new Shape(dims);
        var v = Enumerable.Range(0, shape.Size).Select(k => 0.5 * k - 1).ToArray();
        return dtype == DType.Float64 ? Tensor.From(v, shape) : Tensor.From(v.Select(x => (float)x).ToArray(), shape);
    }

    /// <summary>3·k − 7 for k = 0, 1, ... in row-major order (make_npy_fixtures.py's ints).</summary>
    public static Tensor Ints(params int[] dims)
    {
        var shape = new Shape(dims);
        return Tensor.From(Enumerable.Range(0, shape.Size).Select(k => 3 * k - 7).ToArray(), shape);
    }

    /// <summary>Same shape, dtype and element bits (so NaN payloads and -0 count).</summary>
    public static void AssertIdentical(Tensor expected, Tensor actual)
    {
        Xunit.Assert.Equal(expected.Shape, actual.Shape);
        Xunit.Assert.Equal(expected.DType, actual.DType);
        switch (expected.DType)
        {
            case DType.Float32:
                Xunit.Assert.Equal(expected.ToArray<float>().Select(BitConverter.SingleToInt32Bits), actual.ToArray<float>().Select(BitConverter.SingleToInt32Bits));
                break;
            case DType.Float64:
                Xunit.Assert.Equal(expected.ToArray<double>().Select(BitConverter.DoubleToInt64Bits), actual.ToArray<double>().Select(BitConverter.DoubleToInt64Bits));
                break;
            default:
                Xunit.Assert.Equal(expected.ToArray<int>(), actual.ToArray<int>());
                break;
        }
    }

    /// <summary>A .npy file with the given header text (padded as NumPy pads it) and data.</summary>
    public static byte[] Npy(string header, byte[] data, int major = 1)
    {
        var text = Encoding.Latin1.GetBytes(header);
        int lenBytes = major == 1 ? 2 : 4;
        int hlen = text.Length + 1;
        int pad = 64 - (6 + 2 + lenBytes + hlen) % 64;
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        var len = BitConverter.GetBytes(hlen + pad);
        ms.Write(len, 0, lenBytes);
        ms.Write(text);
        for (int i = 0; i < pad; i++) ms.WriteByte((byte)' ');
        ms.WriteByte((byte)'\n');
        ms.Write(data);
        return ms.ToArray();
    }

    /// <summary>A safetensors file with the given JSON header (padded to 8 bytes) and data.</summary>
    public static byte[] Safetensors(string json, byte[] data)
    {
        var text = Encoding.UTF8.GetBytes(json);
        int pad = (8 - text.Length % 8) % 8;
        var ms = new MemoryStream();
        ms.Write(BitConverter.GetBytes((ulong)(text.Length + pad)));
        ms.Write(text);
        for (int i = 0; i < pad; i++) ms.WriteByte((byte)' ');
        ms.Write(data);
        return ms.ToArray();
    }

    public static byte[] Floats(params float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();
}

/// <summary>A read-only stream that hides its length, as a network or decompression stream does.</summary>
internal sealed class UnseekableStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
