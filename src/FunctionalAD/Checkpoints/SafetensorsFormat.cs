using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace FunctionalAD;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// <c>{"__metadata__": {...}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}</c>
/// padded with spaces to a multiple of 8, then the data buffer, which the tensors' offset ranges tile exactly.
/// Written as the reference implementation writes it: compact JSON, metadata first, tensors sorted by decreasing
/// dtype width then by name, so our files are byte-identical to its files for the same tensors.
/// </summary>
internal static class SafetensorsFormat
{
    // The reference implementation refuses headers over 100 MB.
    public const long MaxHeaderLength = 100_000_000;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>One entry of a parsed header.</summary>
    public sealed record Entry(string Name, StoredType Type, int[] Dims, int Count, long Begin, long End);

    /// <summary>A parsed, validated header: entries in data order, metadata, and where the data starts.</summary>
    public sealed record Header(List<Entry> Entries, Dictionary<string, string> Metadata, long DataStart, long DataLength);

    private static string Code(DType d) => d switch { DType.Float32 => "F32", DType.Float64 => "F64", _ => "I32" };

    // The reference sorts by its dtype enum, declared in increasing width: I32 < F32 < F64 among ours.
    private static int Rank(DType d) => d switch { DType.Int32 => 0, DType.Float32 => 1, _ => 2 };

    private static int CompareUtf8(string a, string b) =>
        StrictUtf8.GetBytes(a).AsSpan().SequenceCompareTo(StrictUtf8.GetBytes(b));

    /// <summary>The entries in the order the reference writes them.</summary>
    public static List<KeyValuePair<string, Tensor>> Order(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var list = tensors.ToList();
        list.Sort((x, y) =>
        {
            int c = Rank(y.Value.DType).CompareTo(Rank(x.Value.DType));
            return c != 0 ? c : CompareUtf8(x.Key, y.Key);
        });
        return list;
    }

    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Tensor>> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder("{");
        if (metadata is { Count: > 0 })
        {
            json.Append("\"__metadata__\":{");
            var keys = metadata.Keys.ToList();
            keys.Sort(CompareUtf8);
            for (int i = 0; i < keys.Count; i++)
            {
                if (i > 0) json.Append(',');
                AppendString(json, keys[i]).Append(':');
                AppendString(json, metadata[keys[i]]);
            }
            json.Append('}');
            if (ordered.Count > 0) json.Append(',');
        }
        long offset = 0;
        for (int i = 0; i < ordered.Count; i++)
        {
            var (name, t) = ordered[i];
            long n = (long)t.Size * ElementWriter.SizeOf(t.DType);
            if (i > 0) json.Append(',');
            AppendString(json, name);
            json.Append(CultureInfo.InvariantCulture, $":{{\"dtype\":\"{Code(t.DType)}\",\"shape\":[{string.Join(",", t.Shape.ToArray())}],\"data_offsets\":[{offset},{offset + n}]}}");
            offset += n;
        }
        json.Append('}');
        var header = StrictUtf8.GetBytes(json.ToString());
        int pad = (8 - header.Length % 8) % 8;
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)(header.Length + pad));
        stream.Write(len);
        stream.Write(header);
        for (int i = 0; i < pad; i++) stream.WriteByte((byte)' ');
        foreach (var (_, t) in ordered) ElementWriter.Write(stream, t);
    }

    // serde_json's escaping: the two mandatory escapes, short forms for \b \f \n \r \t, \u00xx for other controls,
    // everything else (non-ASCII included) as raw UTF-8.
    private static StringBuilder AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ': sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"');
    }

    /// <summary>True when <paramref name="s"/> is valid UTF-16 (no lone surrogate), so it has a UTF-8 form.</summary>
    public static bool IsEncodable(string s)
    {
        try { StrictUtf8.GetByteCount(s); return true; }
        catch (EncoderFallbackException) { return false; }
    }

    /// <summary>
    /// Reads and validates the header. <paramref name="available"/> is the number of bytes from the stream's position to
    /// its end when that is known (a file), or -1.
    /// </summary>
    public static Header ReadHeader(Stream stream, long available, string source)
    {
        Span<byte> len = stackalloc byte[8];
        int got = stream.ReadAtLeast(len, 8, throwOnEndOfStream: false);
        if (got < 8)
            throw new CheckpointFormatException(source, $"not a safetensors file: {got} bytes is too short for the 8-byte header length");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (n > MaxHeaderLength)
            throw new CheckpointFormatException(source, $"the header length is {n} bytes, over the {MaxHeaderLength}-byte limit of the safetensors format (not a safetensors file, or a corrupt length)");
        if (available >= 0 && (long)n > available - 8)
            throw new CheckpointFormatException(source, $"the header length is {n} bytes but only {available - 8} bytes follow it (truncated file, or not a safetensors file)");
        var bytes = new byte[n];
        int hgot = stream.ReadAtLeast(bytes, (int)n, throwOnEndOfStream: false);
        if (hgot < (int)n)
            throw new CheckpointFormatException(source, $"the header length is {n} bytes but the file ends after {hgot} of them (truncated file?)");
        if (n == 0 || bytes[0] != (byte)'{')
            throw new CheckpointFormatException(source, "the header does not start with '{': not a safetensors file");

        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(p.Name))
                    throw new CheckpointFormatException(source, $"the header names '{p.Name}' twice");
                if (p.Name == "__metadata__") ReadMetadata(p.Value, metadata, source);
                else entries.Add(ReadEntry(p.Name, p.Value, source));
            }
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(source, $"the header is not valid JSON: {e.Message}");
        }
        catch (ArgumentException e)
        {
            // Invalid UTF-8 surfaces as an ArgumentException from the JSON reader.
            throw new CheckpointFormatException(source, $"the header is not valid UTF-8 JSON: {e.Message}");
        }

        // The data buffer must be tiled exactly: sorted by offset, each tensor starts where the previous ended.
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long end = 0;
        Entry? previous = null;
        foreach (var e in entries)
        {
            if (e.Begin < end)
                throw new CheckpointFormatException(source, $"tensors '{previous!.Name}' (data_offsets [{previous.Begin}, {previous.End}]) and '{e.Name}' ([{e.Begin}, {e.End}]) overlap");
            if (e.Begin > end)
                throw new CheckpointFormatException(source, $"bytes {end}..{e.Begin} of the data belong to no tensor (before '{e.Name}', data_offsets [{e.Begin}, {e.End}]); the offsets must tile the data");
            end = e.End;
            previous = e;
        }
        if (available >= 0)
        {
            long data = available - 8 - (long)n;
            if (data < end)
                throw new CheckpointFormatException(source, $"the tensors need {end} bytes of data (up to '{previous!.Name}', data_offsets [{previous.Begin}, {previous.End}]) but the file holds {data} (truncated file, or offsets out of range)");
            if (data > end)
                throw new CheckpointFormatException(source, $"the file holds {data} bytes of data but the tensors cover only {end}; the header does not describe the data");
        }
        return new Header(entries, metadata, 8 + (long)n, end);
    }

    private static void ReadMetadata(JsonElement m, Dictionary<string, string> into, string source)
    {
        if (m.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(source, $"'__metadata__' is a JSON {m.ValueKind.ToString().ToLowerInvariant()}, not an object of strings");
        foreach (var p in m.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointFormatException(source, $"'__metadata__' entry '{p.Name}' is a JSON {p.Value.ValueKind.ToString().ToLowerInvariant()}; metadata values are strings");
            if (!into.TryAdd(p.Name, p.Value.GetString()!))
                throw new CheckpointFormatException(source, $"'__metadata__' names '{p.Name}' twice");
        }
    }

    private static Entry ReadEntry(string name, JsonElement v, string source)
    {
        string what = $"tensor '{name}'";
        if (v.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(source, $"{what}: its header entry is a JSON {v.ValueKind.ToString().ToLowerInvariant()}, not an object with dtype, shape and data_offsets");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new CheckpointFormatException(source, $"{what}: 'dtype' is missing or not a string");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw new CheckpointFormatException(source, $"{what}: 'shape' is missing or not an array");
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new CheckpointFormatException(source, $"{what}: 'data_offsets' is missing or not an array [begin, end]");

        var type = ParseDtype(dt.GetString()!, source, what);
        var dims = new int[sh.GetArrayLength()];
        BigInteger count = 1;
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetUInt64(out ulong dim))
                throw new CheckpointFormatException(source, $"{what}: 'shape' has {d.GetRawText()} at position {i}; dimensions are non-negative integers");
            if (dim > int.MaxValue)
                throw new CheckpointFormatException(source, $"{what}: 'shape' has {dim} at position {i}, more than the {int.MaxValue} a FunctionalAD dimension holds");
            count *= dim;
            if (count > int.MaxValue)
                throw new CheckpointFormatException(source, $"{what}: the shape {sh.GetRawText()} has more than {int.MaxValue} elements, more than a FunctionalAD tensor holds");
            dims[i++] = (int)dim;
        }
        var o = off.EnumerateArray().ToArray();
        if (!o[0].TryGetInt64(out long begin) || begin < 0 || !o[1].TryGetInt64(out long end) || end < 0)
            throw new CheckpointFormatException(source, $"{what}: 'data_offsets' {off.GetRawText()} are not two non-negative integers");
        if (end < begin)
            throw new CheckpointFormatException(source, $"{what}: 'data_offsets' [{begin}, {end}] end before they begin");
        long need = (long)count * type.Size;
        if (end - begin != need)
            throw new CheckpointFormatException(source, $"{what}: shape {sh.GetRawText()} of {type.Name} needs {need} bytes but 'data_offsets' [{begin}, {end}] span {end - begin}");
        return new Entry(name, type, dims, (int)count, begin, end);
    }

    private static StoredType ParseDtype(string code, string source, string what) => code switch
    {
        "F64" => new(StoredKind.Float, 8, false, code),
        "F32" => new(StoredKind.Float, 4, false, code),
        "F16" => new(StoredKind.Float, 2, false, code),
        "BF16" => new(StoredKind.BFloat, 2, false, code),
        "I64" => new(StoredKind.Signed, 8, false, code),
        "I32" => new(StoredKind.Signed, 4, false, code),
        "I16" => new(StoredKind.Signed, 2, false, code),
        "I8" => new(StoredKind.Signed, 1, false, code),
        "U64" => new(StoredKind.Unsigned, 8, false, code),
        "U32" => new(StoredKind.Unsigned, 4, false, code),
        "U16" => new(StoredKind.Unsigned, 2, false, code),
        "U8" => new(StoredKind.Unsigned, 1, false, code),
        "BOOL" => new(StoredKind.Bool, 1, false, code),
        _ => throw new CheckpointFormatException(source, $"{what}: dtype \"{code}\" is not supported: FunctionalAD reads F64, F32, F16, BF16 (as float32 or float64) and I64, I32, I16, I8, U64, U32, U16, U8, BOOL (as int32)"),
    };

    /// <summary>Reads the tensors of a validated header, in data order, from a stream positioned at the data.</summary>
    public static Dictionary<string, Tensor> ReadData(Stream stream, Header header, bool trustLength, string source)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var e in header.Entries)
            result.Add(e.Name, new Tensor(ElementReader.Read(stream, e.Type, e.Count, trustLength, source, $"tensor '{e.Name}'"), new Shape(e.Dims)));
        return result;
    }
}
