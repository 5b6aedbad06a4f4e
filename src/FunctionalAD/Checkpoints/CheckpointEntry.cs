namespace FunctionalAD;

/// <summary>One tensor of a safetensors file as its header describes it, read without its data (see <see cref="Checkpoint.Describe"/>).</summary>
public sealed class CheckpointEntry
{
    internal CheckpointEntry(string name, Shape shape, DType dtype, string storedDType, long byteOffset, long byteLength)
    {
        Name = name;
        Shape = shape;
        DType = dtype;
        StoredDType = storedDType;
        ByteOffset = byteOffset;
        ByteLength = byteLength;
    }

    /// <summary>The tensor's name.</summary>
    public string Name { get; }

    /// <summary>Its shape.</summary>
    public Shape Shape { get; }

    /// <summary>The dtype it loads as (float32, float64 or int32).</summary>
    public DType DType { get; }

    /// <summary>The dtype as the file stores it: "F32", "F64", "I32", "F16", "BF16", "I64"...</summary>
    public string StoredDType { get; }

    /// <summary>Where its data starts, in bytes from the start of the file.</summary>
    public long ByteOffset { get; }

    /// <summary>The size of its data in the file, in bytes.</summary>
    public long ByteLength { get; }

    /// <summary>As <c>name: F32 (2, 3)</c>.</summary>
    public override string ToString() => $"{Name}: {StoredDType} {Shape}";
}
