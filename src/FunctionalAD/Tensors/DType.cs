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
        DType.Int32 => "int32",
        _ => $"undefined dtype {(int)d}",
    };

    /// <summary>True for float32 and float64.</summary>
    public static bool IsFloat(this DType d) => d is DType.Float32 or DType.Float64;

    /// <summary>
    /// <paramref name="d"/> when it is one of the defined dtypes; otherwise (a cast integer such as <c>(DType)5</c>)
    /// a <see cref="DTypeException"/> naming <paramref name="where"/>. Every API that takes a dtype checks it here first.
    /// </summary>
    internal static DType Checked(this DType d, string where) => d is DType.Float32 or DType.Float64 or DType.Int32
        ? d
        : throw new DTypeException($"{where}: {(int)d} is not a DType; use DType.Float32, DType.Float64 or DType.Int32");

    /// <summary>
    /// The one float-to-int32 conversion: truncation toward zero, saturating at int32's range; NaN becomes 0 and ±∞
    /// the nearest end of the range (as .NET's own conversions and XLA's convert do). Every API that turns floats
    /// into int32 uses it: <see cref="Tensor.Cast"/>, <see cref="Ex.Cast"/>, <see cref="Tensor.Full"/>, <see cref="Tensor.ToArray{T}"/>.
    /// </summary>
    internal static int ToInt32(double v) =>
        double.IsNaN(v) ? 0 : v >= int.MaxValue ? int.MaxValue : v <= int.MinValue ? int.MinValue : (int)v;

    internal static DType Of<T>() =>
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(int) ? DType.Int32 :
        throw new FunctionalADException($"unsupported element type {typeof(T).Name}: use float, double or int");
}
