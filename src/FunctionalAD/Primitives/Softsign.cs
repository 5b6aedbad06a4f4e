using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>softsign(x) = x / (1 + |x|) (as <c>tf.nn.softsign</c>). d softsign(x) = dx / (1 + |x|)².</summary>
public sealed class SoftsignOp : UnaryElementwise
{
    internal static readonly SoftsignOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "softsign";
    // Written out: ONNX Runtime's Softsign has no float64 kernel.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) =>
        b.Node("Div", [a[0], b.Node("Add", [b.Scalar(1, node.DType), b.Node("Abs", a)])]);
    internal override UnaryKernel Operator => UnaryKernel<SoftsignOperator>.Instance;
    internal override Expr Derivative(Apply y) => 1f / Ex.Square(1f + Ex.Abs(y.Arg(0)));
}

/// <summary>x / (1 + |x|).</summary>
internal struct SoftsignOperator : IUnaryOp
{
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x / (T.One + T.Abs(x));
    public static Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> => x / (Vector256<T>.One + Vector256.Abs(x));
    public static Vector512<T> Invoke<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> => x / (Vector512<T>.One + Vector512.Abs(x));
}

public static partial class Ex
{
    /// <summary>x / (1 + |x|) element-wise; <c>tf.nn.softsign</c>.</summary>
    public static Expr Softsign(Expr x) => Primitive.Build(SoftsignOp.Instance, x);
}
