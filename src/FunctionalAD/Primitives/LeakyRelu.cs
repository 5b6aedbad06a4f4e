using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// leaky_relu(x) = x for x &gt; 0, αx otherwise (as <c>tf.nn.leaky_relu</c>, α = 0.2 by default). d leaky_relu(x) =
/// [x &gt; 0] dx + α[x ≤ 0] dx, so the derivative at 0 is α, as TensorFlow's. α is the second argument, a literal
/// the op also names in its key, so different α are different nodes; no derivative flows to it.
/// </summary>
public sealed class LeakyReluOp(double alpha) : BinaryElementwise
{
    /// <summary>The slope for x ≤ 0.</summary>
    public double Alpha { get; } = alpha;
    /// <inheritdoc/>
    public override string Name => "leaky_relu";
    internal override string Key => $"leaky_relu[{Alpha.ToString("R", CultureInfo.InvariantCulture)}]";
    // x > 0 ? x : αx, with α the second argument; NaN gives αNaN = NaN as in the kernel.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) =>
        b.Node("Where", [b.Node("Greater", [a[0], b.Scalar(0, node.DType)]), a[0], b.Node("Mul", [a[1], a[0]])]);
    internal override BinaryKernel Operator => BinaryKernel<LeakyReluOperator>.Instance;
    internal override bool Differentiable(int arg) => arg == 0;
    internal override string Format(string[] a) => $"leaky_relu({a[0]}, alpha={Alpha.ToString(CultureInfo.InvariantCulture)})";
    internal override Expr Partial(Apply z, int arg) =>
        arg == 0 ? Ex.Where(Ex.Greater(z.Arg(0), 0f), Ex.OnesLike(z.Arg(0)), z.Arg(1)) : Ex.ZerosLike(z.Arg(1));
}

/// <summary>x &gt; 0 ? x : αx, NaN passing through.</summary>
internal struct LeakyReluOperator : IBinaryOp
{
    public static T Invoke<T>(T x, T alpha) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? x : alpha * x;
    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, alpha * x);
    public static Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> alpha) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, alpha * x);
}

public static partial class Ex
{
    /// <summary>x for x &gt; 0, <paramref name="alpha"/>·x otherwise, element-wise; <c>tf.nn.leaky_relu</c> (default α = 0.2).</summary>
    /// <exception cref="ArgumentOutOfRangeException">α is not finite.</exception>
    public static Expr LeakyRelu(Expr x, double alpha = 0.2)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "leaky_relu: alpha must be finite");
        return Primitive.Build(new LeakyReluOp(alpha), x, Literal(alpha, x.DType.IsFloat() ? x.DType : DType.Float32));
    }
}
