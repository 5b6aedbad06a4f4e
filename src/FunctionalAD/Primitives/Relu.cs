using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>d relu(x) = [x &gt; 0] dx, so relu'(0) = 0</summary>
public sealed class ReluOp : UnaryElementwise
{
    internal static readonly ReluOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "relu";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Relu", a);
    internal override UnaryKernel Operator => UnaryKernel<ReluOperator>.Instance;
    internal override Expr Derivative(Apply y) => Ex.Greater(y.Arg(0), 0f);
}

/// <summary>max(x, 0), NaN passing through.</summary>
internal struct ReluOperator : IUnaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.IsNaN(x) ? x : T.Max(x, T.Zero);
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.Max(x, Vector256<T>.Zero);
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.Max(x, Vector512<T>.Zero);
}

public static partial class Ex
{
    /// <summary>relu(x) element-wise.</summary>
    public static Expr Relu(Expr x) => Primitive.Build(ReluOp.Instance, x);
}
