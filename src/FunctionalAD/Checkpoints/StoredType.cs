namespace FunctionalAD;

/// <summary>The family of an element type as a file stores it.</summary>
internal enum StoredKind { Bool, Signed, Unsigned, Float, BFloat }

/// <summary>
/// An element type as a .npy or safetensors file stores it (kind, byte width, byte order), and the FunctionalAD
/// dtype it loads as: floats of 2 or 4 bytes become float32, 8 bytes float64, every integer and bool int32.
/// </summary>
internal readonly record struct StoredType(StoredKind Kind, int Size, bool BigEndian, string Name)
{
    public DType Target => Kind switch
    {
        StoredKind.Float when Size == 8 => DType.Float64,
        StoredKind.Float or StoredKind.BFloat => DType.Float32,
        _ => DType.Int32,
    };

    /// <summary>True when every stored value fits int32, so no element needs a range check.</summary>
    public bool Widens => Kind == StoredKind.Bool || Size < 4 || (Kind == StoredKind.Signed && Size == 4);

    /// <summary>Stored exactly as FunctionalAD holds <see cref="Target"/> in memory on this machine.</summary>
    public bool IsNative =>
        BigEndian != BitConverter.IsLittleEndian &&
        ((Kind == StoredKind.Float && Size is 4 or 8) || (Kind == StoredKind.Signed && Size == 4));

    public static StoredType Of(DType dtype) => dtype switch
    {
        DType.Float32 => new(StoredKind.Float, 4, false, "float32"),
        DType.Float64 => new(StoredKind.Float, 8, false, "float64"),
        _ => new(StoredKind.Signed, 4, false, "int32"),
    };
}
