namespace FunctionalAD;

public static partial class Ex
{
    /// <summary>
    /// The population variance over <paramref name="axes"/> (all when null): mean((x - mean(x))²), as
    /// <c>tf.math.reduce_variance</c>. Centred first, so it does not cancel catastrophically as E[x²] - E[x]² would.
    /// </summary>
    public static Expr Variance(Expr x, int[]? axes = null, bool keepDims = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        var ax = Axes(axes, x, "variance");
        var centred = x - Mean(x, ax, keepDims: true);
        return Mean(centred * centred, ax, keepDims);
    }

    /// <summary>The variance over one axis.</summary>
    public static Expr Variance(Expr x, int axis, bool keepDims = false) => Variance(x, new[] { axis }, keepDims);

    /// <summary>
    /// Mean and population variance over <paramref name="axes"/>, as <c>tf.nn.moments(x, axes, keepdims)</c>; the
    /// variance reuses the mean's node.
    /// </summary>
    public static (Expr Mean, Expr Variance) Moments(Expr x, int[] axes, bool keepDims = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(axes);
        var ax = Axes(axes, x, "moments");
        var mean = Mean(x, ax, keepDims: true);
        var centred = x - mean;
        var variance = Mean(centred * centred, ax, keepDims);
        return (keepDims ? mean : Reshape(mean, new Shape(x.Shape.Where((_, i) => Array.IndexOf(ax, i) < 0).ToArray())), variance);
    }

    /// <summary>
    /// Layer normalization as Keras' <c>LayerNormalization(axis, epsilon=1e-3)</c>: (x - μ) / √(σ² + ε) · γ + β, with
    /// μ and σ² the mean and variance over <paramref name="axis"/>. γ and β (null to leave out, Keras' <c>scale</c> and
    /// <c>center</c>) have the shape of that axis, <c>(x.Shape[axis])</c>, or any shape broadcasting to x.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">ε is negative or not finite.</exception>
    /// <exception cref="ShapeException">γ or β fits neither the normalized axis nor x's shape.</exception>
    public static Expr LayerNormalization(Expr x, Expr? gamma = null, Expr? beta = null, int axis = -1, double epsilon = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "layer_normalization: epsilon must be a finite number ≥ 0");
        int ax = Axes(new[] { axis }, x, "layer_normalization")[0];
        var (mean, variance) = Moments(x, new[] { ax }, keepDims: true);
        var y = (x - mean) / Sqrt(variance + epsilon);
        if (gamma is not null) y = y * ParameterFor(gamma, x, ax, "gamma");
        if (beta is not null) y = y + ParameterFor(beta, x, ax, "beta");
        return y;
    }

    /// <summary>A per-feature parameter of shape (d) reshaped to broadcast along axis <paramref name="ax"/> of x.</summary>
    private static Expr ParameterFor(Expr p, Expr x, int ax, string name)
    {
        if (p.Rank == 1 && p.Shape[0] == x.Shape[ax] && ax != x.Rank - 1)
            return Reshape(p, new Shape(Enumerable.Range(0, x.Rank).Select(i => i == ax ? x.Shape[ax] : 1).ToArray()));
        if (p.Shape.BroadcastsTo(x.Shape)) return p;
        throw new ShapeException(
            $"layer_normalization: {name} has shape {p.Shape}; it needs ({x.Shape[ax]}), the size of axis {ax} of x {x.Shape}, or a shape broadcasting to x");
    }
}
