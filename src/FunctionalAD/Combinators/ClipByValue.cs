namespace FunctionalAD;

public static partial class Ex
{
    /// <summary>
    /// x clipped to [lo, hi] element-wise, as <c>tf.clip_by_value</c>: lo where x &lt; lo, hi where x &gt; hi, x
    /// otherwise; NaN stays NaN. lo and hi broadcast to x's shape, which the result keeps. Boundary convention
    /// (TensorFlow's): the derivative with respect to x is 1 on the closed interval lo ≤ x ≤ hi, boundaries
    /// included, and 0 outside; the cotangent of a clipped element goes to the bound that replaced it (summed back
    /// over broadcast axes). A combinator over <see cref="Where"/>, so it fuses with its neighbours.
    /// </summary>
    /// <exception cref="ShapeException">lo or hi does not broadcast to x's shape.</exception>
    public static Expr ClipByValue(Expr x, Expr lo, Expr hi)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(lo);
        ArgumentNullException.ThrowIfNull(hi);
        foreach (var (bound, name) in new[] { (lo, "clip_value_min"), (hi, "clip_value_max") })
            if (!bound.Shape.BroadcastsTo(x.Shape))
                throw new ShapeException($"clip_by_value: {name} of shape {bound.Shape} does not broadcast to x's shape {x.Shape}\n  in: clip_by_value({x}, {lo}, {hi})");
        return Where(Less(x, lo), lo, Where(Greater(x, hi), hi, x));
    }

    /// <summary>x clipped to the numbers [lo, hi]; see <see cref="ClipByValue(Expr, Expr, Expr)"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">lo or hi is NaN, or lo &gt; hi.</exception>
    public static Expr ClipByValue(Expr x, double lo, double hi)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (double.IsNaN(lo)) throw new ArgumentOutOfRangeException(nameof(lo), lo, "clip_by_value: lo is NaN");
        if (double.IsNaN(hi)) throw new ArgumentOutOfRangeException(nameof(hi), hi, "clip_by_value: hi is NaN");
        if (lo > hi) throw new ArgumentOutOfRangeException(nameof(lo), lo, $"clip_by_value: lo = {lo} is above hi = {hi}");
        var dt = x.DType.IsFloat() ? x.DType : DType.Float32;
        return ClipByValue(x, Literal(lo, dt), Literal(hi, dt));
    }
}
