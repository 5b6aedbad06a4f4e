using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// elu(x) = x for x &gt; 0, α(eˣ - 1) otherwise (as <c>tf.nn.elu</c> for α = 1, Keras' <c>ELU(alpha)</c> for others).
/// d elu(x) = [x &gt; 0] dx + [x ≤ 0] (elu(x) + α) dx, so the derivative at 0 is α, as TensorFlow's. α is the second
/// argument, a literal the op also names in its key, so different α are different nodes; no derivative flows to it.
/// </summary>
public sealed class EluOp(double alpha) : BinaryElementwise
{
    /// <summary>The scale of the negative part.</summary>
    public double Alpha { get; } = alpha;
    /// <inheritdoc/>
    public override string Name => "elu";
    internal override string Key => $"elu[{Alpha.ToString("R", CultureInfo.InvariantCulture)}]";
    // x > 0 ? x : α(e^min(x,0) − 1): the exponential only sees x ≤ 0, as in the kernel.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Where", [b.Node("Greater", [a[0], b.Scalar(0, node.DType)]), a[0],
        b.Node("Mul", [a[1], b.Node("Sub", [b.Node("Exp", [b.Node("Min", [a[0], b.Scalar(0, node.DType)])]), b.Scalar(1, node.DType)])])]);
    internal override BinaryKernel Operator => BinaryKernel<EluOperator>.Instance;
    internal override bool Differentiable(int arg) => arg == 0;
    internal override string Format(string[] a) =>
        Alpha == 1 ? $"elu({a[0]})" : $"elu({a[0]}, alpha={Alpha.ToString(CultureInfo.InvariantCulture)})";
    internal override Expr Partial(Apply z, int arg) =>
        arg == 0 ? Ex.Where(Ex.Greater(z.Arg(0), 0f), Ex.OnesLike(z), z + z.Arg(1)) : Ex.ZerosLike(z.Arg(1));
}

/// <summary>x &gt; 0 ? x : α·expm1(x); the exponential only ever sees x ≤ 0, so it never overflows.</summary>
internal struct EluOperator : IBinaryOp
{
    public static T Invoke<T>(T x, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? x : alpha * Expm1Operator.Invoke(x);
    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, alpha * Expm1Operator.Invoke(Vector256.Min(x, Vector256<T>.Zero)));
    public static Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, alpha * Expm1Operator.Invoke(Vector512.Min(x, Vector512<T>.Zero)));
}

public static partial class Ex
{
    /// <summary>x for x &gt; 0, α(eˣ - 1) otherwise, element-wise; <c>tf.nn.elu</c> (α = 1) and Keras' <c>ELU(alpha)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">α is not finite.</exception>
    public static Expr Elu(Expr x, double alpha = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "elu: alpha must be finite");
        return Primitive.Build(new EluOp(alpha), x, Literal(alpha, x.DType.IsFloat() ? x.DType : DType.Float32));
    }
}
