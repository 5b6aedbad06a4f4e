using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>
/// log Σ exp(x) over axes, shifted by the maximum so large inputs do not overflow.
/// d lse(x) = Σ softmax(x) · dx, so vjp = g · exp(x - lse(x)). A row of −∞ has lse = −∞ and gradient 0.
/// </summary>
public sealed class LogSumExpOp(int[] axes, bool keepDims) : Reduction(axes, keepDims)
{
    /// <inheritdoc/>
    public override string Name => "logsumexp";

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        var x = args[0];
        var kept = Reduce.KeptShape(x.Shape, Axes);
        var m = Tensor.Uninitialized(kept, x.DType);
        Reduce.Run(x.Array<T>(), x.Shape, Axes, m.Array<T>(), ReduceKind.Max);
        // A row of -inf (or one holding inf) would give inf - inf; shifting it by 0 instead keeps the IEEE answer.
        var ms = m.Span<T>();
        for (int i = 0; i < ms.Length; i++) if (!T.IsFinite(ms[i])) ms[i] = T.Zero;
        var e = Tensor.Uninitialized(x.Shape, x.DType);
        SubtractOp.Instance.Kernel<T>(new[] { x, m }, e);
        TensorPrimitives.Exp(e.Span<T>(), e.Span<T>());
        var r = result.Span<T>();
        Reduce.Run(e.Array<T>(), x.Shape, Axes, result.Array<T>(), ReduceKind.Sum);
        TensorPrimitives.Log(r, r);
        TensorPrimitives.Add(r, ms, r);
    }

    // A row of -inf has lse = -inf and x - lse = NaN; raising lse to the lowest finite number instead gives
    // exp(-inf) = 0, so that row's gradient is 0. Any other row has lse >= its finite maximum and is unchanged.
    private Expr Softmax(Apply y)
    {
        var lse = Kept(y, y[0].Shape);
        var lowest = Ex.Literal(lse.DType == DType.Float32 ? float.MinValue : double.MinValue, lse.DType);
        return Ex.Exp(y[0] - Ex.Maximum(lse, lowest));
    }
    internal override Expr Vjp(Apply y, int arg, Expr g) => Kept(g, y[0].Shape) * Softmax(y);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.Sum(t[0]! * Softmax(y), Axes, KeepDims);
}

public static partial class Ex
{
    /// <summary>log Σ exp(x) over <paramref name="axes"/> (all when null), computed stably.</summary>
    public static Expr LogSumExp(Expr x, int[]? axes = null, bool keepDims = false) =>
        Primitive.Build(new LogSumExpOp(Axes(axes, x, "logsumexp"), keepDims), x);

    /// <summary>log Σ exp(x) over one axis.</summary>
    public static Expr LogSumExp(Expr x, int axis, bool keepDims = false) => LogSumExp(x, new[] { axis }, keepDims);

    /// <summary>exp(x) / Σ exp(x) along <paramref name="axis"/> (default the last), shifted by log-sum-exp so it never overflows.</summary>
    public static Expr Softmax(Expr x, int axis = -1)
    {
        Axes(new[] { axis }, x, "softmax");
        return Exp(LogSoftmax(x, axis));
    }

    /// <summary>x - log Σ exp(x) along <paramref name="axis"/> (default the last).</summary>
    public static Expr LogSoftmax(Expr x, int axis = -1)
    {
        Axes(new[] { axis }, x, "log_softmax");
        return x - LogSumExp(x, axis, keepDims: true);
    }
}
