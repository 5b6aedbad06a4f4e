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
    public static Expr LayerNormalization(Expr x, Expr? gamma = null, Expr? beta = null, int axis = -1, double epsilon = 1e-3) =>
        LayerNormalization(x, gamma, beta, new[] { axis }, epsilon);

    /// <summary>
    /// Layer normalization over several axes, as Keras' <c>LayerNormalization(axis=[...])</c>: μ and σ² over all of
    /// <paramref name="axes"/> together; γ and β have the shape of those axes in order (Keras' parameter shape), or
    /// any shape broadcasting to x.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">ε is negative or not finite.</exception>
    /// <exception cref="ShapeException">γ or β fits neither the normalized axes nor x's shape.</exception>
    public static Expr LayerNormalization(Expr x, Expr? gamma, Expr? beta, int[] axes, double epsilon = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(axes);
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "layer_normalization: epsilon must be a finite number ≥ 0");
        if (axes.Length == 0) throw new AxisException("layer_normalization: name at least one axis to normalize over");
        var ax = Axes(axes, x, "layer_normalization");
        var (mean, variance) = Moments(x, ax, keepDims: true);
        var y = (x - mean) / Sqrt(variance + epsilon);
        if (gamma is not null) y = y * ParameterFor(gamma, x, ax, "gamma");
        if (beta is not null) y = y + ParameterFor(beta, x, ax, "beta");
        return y;
    }

    /// <summary>A parameter of the normalized axes' shape, reshaped to broadcast along those axes of x.</summary>
    private static Expr ParameterFor(Expr p, Expr x, int[] ax, string name)
    {
        var own = ax.Select(a => x.Shape[a]).ToArray();
        if (p.Shape.SequenceEqual(own))
            return Reshape(p, new Shape(Enumerable.Range(0, x.Rank).Select(i => Array.IndexOf(ax, i) >= 0 ? x.Shape[i] : 1).ToArray()));
        if (p.Shape.BroadcastsTo(x.Shape)) return p;
        throw new ShapeException(
            $"layer_normalization: {name} has shape {p.Shape}; it needs {new Shape(own)}, the size of axes [{string.Join(", ", ax)}] of x {x.Shape}, or a shape broadcasting to x");
    }
}
