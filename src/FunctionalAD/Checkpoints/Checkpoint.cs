namespace FunctionalAD;

/// <summary>
/// Checkpoints in the safetensors format, the one PyTorch and Hugging Face use: named tensors and optional string
/// metadata, written byte for byte as the reference implementation writes them, so
/// <c>safetensors.torch.load_file(path)</c> or <c>safetensors.numpy.load_file(path)</c> reads ours and we read theirs.
/// Variables save and restore by name.
/// </summary>
public static class Checkpoint
{
    /// <summary>
    /// Writes <paramref name="tensors"/> as a safetensors file: float32 as "F32", float64 as "F64", int32 as "I32".
    /// The file is written to a temporary sibling and moved into place, so a failed save leaves no partial file.
    /// </summary>
    /// <param name="path">The file to create or replace; by convention it ends in .safetensors.</param>
    /// <param name="tensors">Names and tensors; names must be non-empty and not "__metadata__".</param>
    /// <param name="metadata">Free-form string pairs stored in the header's "__metadata__" (omitted when null or empty).</param>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        AtomicFile.CheckPath(path, nameof(path));
        var ordered = Prepare(tensors, metadata);
        AtomicFile.Write(path, s => SafetensorsFormat.Write(s, ordered, metadata));
    }

    /// <summary>Writes a safetensors file to <paramref name="stream"/> at its position (see <see cref="Save(string, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?)"/>).</summary>
    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("the stream is not writable", nameof(stream));
        var ordered = Prepare(tensors, metadata);
        SafetensorsFormat.Write(stream, ordered, metadata);
    }

    /// <summary>Writes the current values of <paramref name="variables"/>, each under its <see cref="Variable.Name"/>.</summary>
    /// <exception cref="ArgumentException">Two variables share a name, or one is null.</exception>
    public static void Save(string path, IEnumerable<Variable> variables, IReadOnlyDictionary<string, string>? metadata = null)
    {
        AtomicFile.CheckPath(path, nameof(path));
        Save(path, ByName(variables), metadata);
    }

    /// <summary>Writes the current values of <paramref name="variables"/> to <paramref name="stream"/>, each under its name.</summary>
    public static void Save(Stream stream, IEnumerable<Variable> variables, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(stream, ByName(variables), metadata);

    private static Dictionary<string, Tensor> ByName(IEnumerable<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var v in variables)
        {
            if (v is null) throw new ArgumentException("a variable is null", nameof(variables));
            if (!d.TryAdd(v.Name, v.Value))
                throw new ArgumentException($"two variables are named '{v.Name}'; a checkpoint stores each name once", nameof(variables));
        }
        return d;
    }

    private static List<KeyValuePair<string, Tensor>> Prepare(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var (name, t) in tensors)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("a tensor name is empty", nameof(tensors));
            if (name == "__metadata__") throw new ArgumentException("'__metadata__' is reserved for the header's metadata; pass metadata separately", nameof(tensors));
            if (!SafetensorsFormat.IsEncodable(name)) throw new ArgumentException($"tensor name '{name}' is not valid UTF-16 (a lone surrogate)", nameof(tensors));
            if (t is null) throw new ArgumentException($"tensor '{name}' is null", nameof(tensors));
        }
        if (metadata is not null)
            foreach (var (k, v) in metadata)
            {
                if (k is null || v is null || !SafetensorsFormat.IsEncodable(k) || !SafetensorsFormat.IsEncodable(v))
                    throw new ArgumentException($"metadata entry '{k}' has a null or invalid UTF-16 key or value", nameof(metadata));
            }
        return SafetensorsFormat.Order(tensors);
    }

    /// <summary>
    /// Reads every tensor of a safetensors file, keyed by name, in the order of their data. "F32", "F16" and "BF16"
    /// load as float32, "F64" as float64; integer and "BOOL" tensors load as int32, and "I64", "U32" and "U64" values
    /// must fit it. Nothing is returned unless the whole file is good.
    /// </summary>
    /// <exception cref="CheckpointFormatException">
    /// The file is truncated, its header length or JSON is bad, an entry's offsets overlap, leave gaps, run past the
    /// data or disagree with its shape and dtype, a dtype is unsupported, or an integer does not fit int32.
    /// </exception>
    public static IReadOnlyDictionary<string, Tensor> Load(string path)
    {
        AtomicFile.CheckPath(path, nameof(path));
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = SafetensorsFormat.ReadHeader(fs, fs.Length, path);
        return SafetensorsFormat.ReadData(fs, header, trustLength: true, path);
    }

    /// <summary>
    /// Reads a safetensors file from <paramref name="stream"/>, which must hold exactly one file from its position to
    /// its end (see <see cref="Load(string)"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, Tensor> Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead) throw new ArgumentException("the stream is not readable", nameof(stream));
        long available = stream.CanSeek ? stream.Length - stream.Position : -1;
        var header = SafetensorsFormat.ReadHeader(stream, available, "stream");
        var tensors = SafetensorsFormat.ReadData(stream, header, trustLength: true, "stream");
        if (available < 0 && stream.ReadByte() >= 0)
            throw new CheckpointFormatException("stream", $"bytes follow the {header.DataLength} bytes of data the tensors cover; the header does not describe the data");
        return tensors;
    }

    /// <summary>
    /// Reads only the named tensors of a safetensors file, seeking past the others, which is what the format's layout
    /// is for: one layer of a large model costs the bytes of that layer. The header is validated as by
    /// <see cref="Load(string)"/>.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">A name is not in the file (every missing name is listed).</exception>
    /// <exception cref="CheckpointFormatException">The file is bad (see <see cref="Load(string)"/>).</exception>
    public static IReadOnlyDictionary<string, Tensor> Load(string path, IEnumerable<string> names)
    {
        AtomicFile.CheckPath(path, nameof(path));
        ArgumentNullException.ThrowIfNull(names);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in names) wanted.Add(n ?? throw new ArgumentException("a name is null", nameof(names)));
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = SafetensorsFormat.ReadHeader(fs, fs.Length, path);
        var present = header.Entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var missing = wanted.Where(n => !present.Contains(n)).Select(n => $"'{n}': not in the checkpoint").ToList();
        if (missing.Count > 0) throw new CheckpointMismatchException(path, missing);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var e in header.Entries.Where(e => wanted.Contains(e.Name)))
        {
            fs.Position = header.DataStart + e.Begin;
            result.Add(e.Name, new Tensor(ElementReader.Read(fs, e.Type, e.Count, trustLength: true, path, $"tensor '{e.Name}'"), new Shape(e.Dims)));
        }
        return result;
    }

    /// <summary>
    /// The tensors of a safetensors file as its header lists them (name, shape, dtype, where the data is), in data
    /// order, without reading any data; the header is validated against the file's size as by <see cref="Load(string)"/>.
    /// </summary>
    public static IReadOnlyList<CheckpointEntry> Describe(string path)
    {
        AtomicFile.CheckPath(path, nameof(path));
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = SafetensorsFormat.ReadHeader(fs, fs.Length, path);
        return header.Entries
            .Select(e => new CheckpointEntry(e.Name, new Shape(e.Dims), e.Type.Target, e.Type.Name, header.DataStart + e.Begin, e.End - e.Begin))
            .ToList();
    }

    /// <summary>
    /// The "__metadata__" of a safetensors file (empty when it has none), read from the header alone; the header is
    /// validated against the file's size as <see cref="Load(string)"/> does, but no tensor data is read.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LoadMetadata(string path)
    {
        AtomicFile.CheckPath(path, nameof(path));
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return SafetensorsFormat.ReadHeader(fs, fs.Length, path).Metadata;
    }

    /// <summary>
    /// Assigns each variable the tensor saved under its name in the safetensors file at <paramref name="path"/>.
    /// All or nothing: every variable must be found with its shape and dtype (and, when <paramref name="strict"/>,
    /// every tensor in the file must belong to a variable) before any is assigned.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Lists every missing name, shape or dtype difference (and unclaimed tensor when strict); no variable was assigned.</exception>
    /// <exception cref="CheckpointFormatException">The file is bad (see <see cref="Load(string)"/>); no variable was assigned.</exception>
    public static void Restore(string path, IEnumerable<Variable> variables, bool strict = false)
    {
        AtomicFile.CheckPath(path, nameof(path));
        ArgumentNullException.ThrowIfNull(variables);
        var list = variables.ToList();
        Restore(Load(path), list, strict, path);
    }

    /// <summary>
    /// Assigns each variable the tensor named as it in <paramref name="tensors"/> (from <see cref="Load(string)"/>,
    /// <see cref="Npz.Load(string)"/>, or built by hand), all or nothing, as <see cref="Restore(string, IEnumerable{Variable}, bool)"/>.
    /// </summary>
    public static void Restore(IReadOnlyDictionary<string, Tensor> tensors, IEnumerable<Variable> variables, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(variables);
        Restore(tensors, variables.ToList(), strict, "checkpoint");
    }

    private static void Restore(IReadOnlyDictionary<string, Tensor> tensors, List<Variable> variables, bool strict, string source)
    {
        var problems = new List<string>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<(Variable, Tensor)>(variables.Count);
        foreach (var v in variables)
        {
            if (v is null) throw new ArgumentException("a variable is null", nameof(variables));
            if (!claimed.Add(v.Name)) { problems.Add($"'{v.Name}': two variables have this name"); continue; }
            if (!tensors.TryGetValue(v.Name, out var t) || t is null)
            {
                problems.Add($"'{v.Name}': not in the checkpoint{Holding(tensors)}");
                continue;
            }
            if (t.Shape != v.Shape)
                problems.Add($"'{v.Name}': the checkpoint holds shape {t.Shape} but the variable has shape {v.Shape}");
            else if (t.DType != v.DType)
                problems.Add($"'{v.Name}': the checkpoint holds {t.DType.Name()} but the variable is {v.DType.Name()}");
            else
                plan.Add((v, t));
        }
        if (strict)
            foreach (var name in tensors.Keys)
                if (!claimed.Contains(name)) problems.Add($"'{name}': in the checkpoint but no variable has this name (strict restore)");
        if (problems.Count > 0) throw new CheckpointMismatchException(source, problems);
        foreach (var (v, t) in plan) v.Assign(t);
    }

    private static string Holding(IReadOnlyDictionary<string, Tensor> tensors)
    {
        var names = tensors.Keys.Take(10).Select(n => $"'{n}'").ToList();
        if (names.Count == 0) return " (it is empty)";
        return $" (it holds {string.Join(", ", names)}{(tensors.Count > 10 ? $" and {tensors.Count - 10} more" : "")})";
    }
}
