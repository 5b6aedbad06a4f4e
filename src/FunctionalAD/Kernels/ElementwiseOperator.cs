using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// y = f(x) for one element-wise primitive, in the manner of TensorPrimitives' operator structs: a scalar form
/// and Vector256/Vector512 forms of the same function, generic over float and double. Written once, in the
/// primitive's file; the span driver (<see cref="Elementwise"/>), the tiled fused step and the register-fused
/// vector loop all call it, so every backend computes the same bits.
/// </summary>
internal interface IUnaryOp
{
    /// <summary>
    /// True when the scalar form rounds exactly as the vector forms do (IEEE basic operations, comparisons,
    /// selections), so the drivers may finish a span with plain scalar code; false (the default) makes every
    /// element go through the vector form.
    /// </summary>
    static virtual bool ScalarIsExact => false;
    /// <summary>f(x) for one element; used only where no vector unit is present.</summary>
    static abstract T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;
    /// <summary>f applied to every lane.</summary>
    static abstract Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>;
    /// <summary>f applied to every lane.</summary>
    static abstract Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>z = f(a, b) for one element-wise primitive: scalar, Vector256 and Vector512 forms of one function.</summary>
internal interface IBinaryOp
{
    /// <summary>True when the scalar form rounds exactly as the vector forms do (see <see cref="IUnaryOp.ScalarIsExact"/>).</summary>
    static virtual bool ScalarIsExact => false;
    /// <summary>f(a, b) for one element; used only where no vector unit is present.</summary>
    static abstract T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;
    /// <summary>f applied lane by lane.</summary>
    static abstract Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T>;
    /// <summary>f applied lane by lane.</summary>
    static abstract Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>d[i] = f(x[i]) for one element type: what a fused step holds per instruction, so a tile costs an interface call, not a generic virtual one.</summary>
internal interface IUnaryMap<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Map(ReadOnlySpan<T> x, Span<T> d);
    /// <summary>The operator's Vector256 form: a tile that fits one register (<see cref="FusedShortRowsStep{T}"/>) runs it with no span driver.</summary>
    Vector256<T> Invoke(Vector256<T> x);
}

/// <summary>d[i] = f(a[i], b[i]) for one element type (operands flagged scalar are one element everywhere).</summary>
internal interface IBinaryMap<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Map(ReadOnlySpan<T> a, bool aScalar, ReadOnlySpan<T> b, bool bScalar, Span<T> d);
    /// <summary>The operator's Vector256 form (see <see cref="IUnaryMap{T}.Invoke"/>).</summary>
    Vector256<T> Invoke(Vector256<T> a, Vector256<T> b);
}

/// <summary>
/// An element-wise primitive's operator as a value the passes can hold without knowing the primitive: the
/// span kernel instantiated for it, and the operator struct's type, from which the register-fused loop builds
/// its body (<see cref="V.Unary{TOp, A}"/>).
/// </summary>
internal abstract class UnaryKernel
{
    /// <summary>The <see cref="IUnaryOp"/> struct.</summary>
    public abstract Type Operator { get; }
    /// <summary>d[i] = f(x[i]); x may be d.</summary>
    public abstract void Map<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <inheritdoc/>
internal sealed class UnaryKernel<TOp> : UnaryKernel, IUnaryMap<float>, IUnaryMap<double> where TOp : struct, IUnaryOp
{
    public static readonly UnaryKernel<TOp> Instance = new();
    public override Type Operator => typeof(TOp);
    public override void Map<T>(ReadOnlySpan<T> x, Span<T> d) => Elementwise.Map<TOp, T>(x, d);
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    void IUnaryMap<float>.Map(ReadOnlySpan<float> x, Span<float> d) => Elementwise.Map<TOp, float>(x, d);
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    void IUnaryMap<double>.Map(ReadOnlySpan<double> x, Span<double> d) => Elementwise.Map<TOp, double>(x, d);
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    Vector256<float> IUnaryMap<float>.Invoke(Vector256<float> x) => TOp.Invoke(x);
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    Vector256<double> IUnaryMap<double>.Invoke(Vector256<double> x) => TOp.Invoke(x);
}

/// <summary>A binary element-wise primitive's operator: its span kernel and its operator struct's type.</summary>
internal abstract class BinaryKernel
{
    /// <summary>The <see cref="IBinaryOp"/> struct.</summary>
    public abstract Type Operator { get; }
    /// <summary>d[i] = f(a[i], b[i]); an operand flagged scalar is its one element everywhere.</summary>
    public abstract void Map<T>(ReadOnlySpan<T> a, bool aScalar, ReadOnlySpan<T> b, bool bScalar, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <inheritdoc/>
internal sealed class BinaryKernel<TOp> : BinaryKernel, IBinaryMap<float>, IBinaryMap<double> where TOp : struct, IBinaryOp
{
    public static readonly BinaryKernel<TOp> Instance = new();
    public override Type Operator => typeof(TOp);
    public override void Map<T>(ReadOnlySpan<T> a, bool aScalar, ReadOnlySpan<T> b, bool bScalar, Span<T> d) =>
        Elementwise.Map<TOp, T>(a, aScalar, b, bScalar, d);
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    void IBinaryMap<float>.Map(ReadOnlySpan<float> a, bool aScalar, ReadOnlySpan<float> b, bool bScalar, Span<float> d) =>
        Elementwise.Map<TOp, float>(a, aScalar, b, bScalar, d);
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    void IBinaryMap<double>.Map(ReadOnlySpan<double> a, bool aScalar, ReadOnlySpan<double> b, bool bScalar, Span<double> d) =>
        Elementwise.Map<TOp, double>(a, aScalar, b, bScalar, d);
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    Vector256<float> IBinaryMap<float>.Invoke(Vector256<float> a, Vector256<float> b) => TOp.Invoke(a, b);
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    Vector256<double> IBinaryMap<double>.Invoke(Vector256<double> a, Vector256<double> b) => TOp.Invoke(a, b);
}
