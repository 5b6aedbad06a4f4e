namespace FunctionalAD;

/// <summary>Element type of a tensor or expression: float32 by default, float64 for accuracy, int32 for labels.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float, the default.</summary>
    Float32,
    /// <summary>64-bit IEEE float; gradient checks run in it.</summary>
    Float64,
    /// <summary>32-bit signed integer, for class labels and indices.</summary>
    Int32,
}

/// <summary>Names and sizes of <see cref="DType"/> values.</summary>
public static class DTypes
{
    /// <summary>The TensorFlow spelling: float32, float64, int32.</summary>
    public static string Name(this DType d) => d switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        _ => "int32",
    };

    /// <summary>True for float32 and float64.</summary>
    public static bool IsFloat(this DType d) => d != DType.Int32;

    internal static DType Of<T>() =>
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(int) ? DType.Int32 :
        throw new FunctionalADException($"unsupported element type {typeof(T).Name}: use float, double or int");
}
