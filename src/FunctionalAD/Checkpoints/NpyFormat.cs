using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace FunctionalAD;

/// <summary>
/// NumPy's .npy format (numpy.lib.format): the magic <c>\x93NUMPY</c>, a version (1.0, 2.0 or 3.0), a little-endian
/// header length (2 bytes in 1.0, 4 in 2.0 and 3.0), a Python dict literal
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c> padded with spaces and a newline so the data
/// starts at a multiple of 64 bytes, then the raw elements.
/// </summary>
internal static class NpyFormat
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int ArrayAlign = 64;
    // NumPy pads the header so the growing axis can take this many digits without rewriting the file.
    private const int GrowthAxisMaxDigits = 21;
    // NumPy refuses headers over 10 000 bytes by default; ours are far smaller, and the cap keeps a lying header
    // length from allocating.
    private const int MaxHeaderLength = 1 << 20;

    /// <summary>A parsed header: how elements are stored, their order, and the shape.</summary>
    public sealed record Header(StoredType Type, bool FortranOrder, int[] Dims, int Count);

    /// <summary>The header bytes NumPy 1.24+ writes for a C-order array of this dtype and shape (format 1.0).</summary>
    public static byte[] FormatHeader(DType dtype, Shape shape)
    {
        var descr = dtype switch { DType.Float32 => "<f4", DType.Float64 => "<f8", _ => "<i4" };
        var dims = shape.ToArray();
        var repr = dims.Length switch
        {
            0 => "()",
            1 => $"({dims[0]},)",
            _ => "(" + string.Join(", ", dims) + ")",
        };
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {repr}, }}";
        if (dims.Length > 0) dict += new string(' ', GrowthAxisMaxDigits - dims[0].ToString(CultureInfo.InvariantCulture).Length);
        int hlen = dict.Length + 1;
        int pad = ArrayAlign - (Magic.Length + 2 + 2 + hlen) % ArrayAlign;
        var bytes = new byte[Magic.Length + 4 + hlen + pad];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), checked((ushort)(hlen + pad)));
        Encoding.Latin1.GetBytes(dict, bytes.AsSpan(10));
        bytes.AsSpan(10 + dict.Length, pad).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>Writes <paramref name="t"/> as a complete .npy file.</summary>
    public static void Write(Stream stream, Tensor t)
    {
        stream.Write(FormatHeader(t.DType, t.Shape));
        ElementWriter.Write(stream, t);
    }

    /// <summary>Reads one array from the stream's position, leaving the stream just after its data.</summary>
    public static Tensor Read(Stream stream, bool trustLength, string source, string what)
    {
        var h = ReadHeader(stream, source, what);
        var data = ElementReader.Read(stream, h.Type, h.Count, trustLength, source, what);
        if (h.FortranOrder) data = ElementReader.FromFortranOrder(data, h.Dims);
        return new Tensor(data, new Shape(h.Dims));
    }

    public static Header ReadHeader(Stream stream, string source, string what)
    {
        Span<byte> prefix = stackalloc byte[8];
        int got = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
        if (got < 6 || !prefix[..6].SequenceEqual(Magic))
            throw new CheckpointFormatException(source, got < 6
                ? $"{what}: not a .npy file: {got} bytes is too short to hold the magic string \\x93NUMPY"
                : $"{what}: not a .npy file: it starts with {Convert.ToHexString(prefix[..6])} where a .npy file starts with 934E554D5059 (\\x93NUMPY)");
        if (got < 8) throw new CheckpointFormatException(source, $"{what}: the file ends inside the format version (truncated file?)");
        int major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
            throw new CheckpointFormatException(source, $"{what}: .npy format version {major}.{minor} is not supported (NumPy writes 1.0, 2.0 and 3.0)");

        int lengthBytes = major == 1 ? 2 : 4;
        Span<byte> lenBuf = stackalloc byte[4];
        if (stream.ReadAtLeast(lenBuf[..lengthBytes], lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw new CheckpointFormatException(source, $"{what}: the file ends inside the header length (truncated file?)");
        long hlen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lenBuf) : BinaryPrimitives.ReadUInt32LittleEndian(lenBuf);
        if (hlen > MaxHeaderLength)
            throw new CheckpointFormatException(source, $"{what}: the header claims {hlen} bytes, more than the {MaxHeaderLength}-byte limit (a corrupt length?)");
        var headerBytes = new byte[hlen];
        int hgot = stream.ReadAtLeast(headerBytes, (int)hlen, throwOnEndOfStream: false);
        if (hgot < hlen)
            throw new CheckpointFormatException(source, $"{what}: the header claims {hlen} bytes but the file ends after {hgot} of them (truncated file?)");

        string text;
        try
        {
            // Format 3.0 exists only to allow UTF-8 in (structured) field names; 1.0 and 2.0 are Latin-1.
            text = major == 3 ? new UTF8Encoding(false, true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw new CheckpointFormatException(source, $"{what}: the version 3.0 header is not valid UTF-8");
        }
        return ParseHeader(text, source, what);
    }

    private static Header ParseHeader(string text, string source, string what)
    {
        object? literal;
        try { literal = PythonLiteral.Parse(text); }
        catch (FormatException e)
        {
            throw new CheckpointFormatException(source, $"{what}: the header is not a Python dict literal: {e.Message}: {Excerpt(text)}");
        }
        if (literal is not List<KeyValuePair<object?, object?>> dict)
            throw new CheckpointFormatException(source, $"{what}: the header is not a dict: {Excerpt(text)}");

        object? descr = null, fortran = null, shape = null;
        bool hasDescr = false, hasFortran = false, hasShape = false;
        foreach (var (k, v) in dict)
        {
            switch (k)
            {
                case "descr" when !hasDescr: descr = v; hasDescr = true; break;
                case "fortran_order" when !hasFortran: fortran = v; hasFortran = true; break;
                case "shape" when !hasShape: shape = v; hasShape = true; break;
                case "descr" or "fortran_order" or "shape":
                    throw new CheckpointFormatException(source, $"{what}: the header gives '{k}' twice: {Excerpt(text)}");
                default:
                    throw new CheckpointFormatException(source, $"{what}: the header has the unexpected key {Repr(k)}; a .npy header holds exactly 'descr', 'fortran_order' and 'shape': {Excerpt(text)}");
            }
        }
        if (!hasDescr || !hasFortran || !hasShape)
            throw new CheckpointFormatException(source, $"{what}: the header lacks {string.Join(" and ", new[] { (hasDescr, "'descr'"), (hasFortran, "'fortran_order'"), (hasShape, "'shape'") }.Where(p => !p.Item1).Select(p => p.Item2))}: {Excerpt(text)}");

        var type = descr switch
        {
            string s => ParseDescr(s, source, what),
            List<object?> => throw new CheckpointFormatException(source, $"{what}: structured dtypes (record arrays) are not supported; save each field as its own array"),
            _ => throw new CheckpointFormatException(source, $"{what}: 'descr' is {Repr(descr)}, not a dtype string such as '<f4'"),
        };
        if (fortran is not bool fortranOrder)
            throw new CheckpointFormatException(source, $"{what}: 'fortran_order' is {Repr(fortran)}, not True or False");
        if (shape is not List<object?> dimsList)
            throw new CheckpointFormatException(source, $"{what}: 'shape' is {Repr(shape)}, not a tuple of dimensions");

        var dims = new int[dimsList.Count];
        BigInteger count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dimsList[i] is not BigInteger d || d < 0)
                throw new CheckpointFormatException(source, $"{what}: 'shape' has {Repr(dimsList[i])} at position {i}; dimensions are non-negative integers");
            if (d > int.MaxValue)
                throw new CheckpointFormatException(source, $"{what}: 'shape' has {d} at position {i}, more than the {int.MaxValue} a FunctionalAD dimension holds");
            count *= d;
            if (count > int.MaxValue)
                throw new CheckpointFormatException(source, $"{what}: the shape {Repr(shape)} has more than {int.MaxValue} elements, more than a FunctionalAD tensor holds");
            dims[i] = (int)d;
        }
        return new Header(type, fortranOrder, dims, (int)count);
    }

    /// <summary>A NumPy array-protocol type string: byte order ('&lt;', '&gt;', '|', '='), kind, and width in bytes.</summary>
    private static StoredType ParseDescr(string descr, string source, string what)
    {
        var s = descr;
        bool big = false;
        if (s.Length > 0 && s[0] is '<' or '>' or '|' or '=')
        {
            big = s[0] == '>' || (s[0] == '=' && !BitConverter.IsLittleEndian);
            s = s[1..];
        }
        char kind = s.Length > 0 ? s[0] : '\0';
        bool sized = int.TryParse(s.AsSpan(Math.Min(1, s.Length)), NumberStyles.None, CultureInfo.InvariantCulture, out int size);
        StoredType? type = (kind, sized ? size : -1) switch
        {
            ('f', 2 or 4 or 8) => new(StoredKind.Float, size, big, descr),
            ('i', 1 or 2 or 4 or 8) => new(StoredKind.Signed, size, big, descr),
            ('u', 1 or 2 or 4 or 8) => new(StoredKind.Unsigned, size, big, descr),
            ('b', 1) => new(StoredKind.Bool, 1, big, descr),
            _ => null,
        };
        if (type is { } t) return t;
        var family = kind switch
        {
            'c' => "complex numbers",
            'O' => "Python objects (reading them would need pickle)",
            'U' or 'S' or 'a' => "strings",
            'V' => "raw bytes (void)",
            'M' or 'm' => "dates and times",
            'f' => "floats of this width",
            _ => "an unknown element type",
        };
        throw new CheckpointFormatException(source, $"{what}: dtype '{descr}' ({family}) is not supported: FunctionalAD reads floats ('f2', 'f4', 'f8'), integers ('i1'..'i8', 'u1'..'u8') and bools ('b1'), little- or big-endian, into float32, float64 and int32");
    }

    private static string Repr(object? v) => v switch
    {
        null => "None",
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        List<object?> l => "(" + string.Join(", ", l.Select(Repr)) + (l.Count == 1 ? ",)" : ")"),
        List<KeyValuePair<object?, object?>> => "a dict",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "?",
    };

    private static string Excerpt(string text)
    {
        var t = text.TrimEnd();
        return t.Length <= 200 ? t : t[..200] + "...";
    }
}
