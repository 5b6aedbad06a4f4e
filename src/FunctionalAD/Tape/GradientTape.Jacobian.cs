namespace FunctionalAD;

public sealed partial class GradientTape
{
    /// <summary>
    /// The Jacobian ∂target/∂source through the recorded work, shaped target.shape + source.shape, built one
    /// reverse pass per element of the target. Null (or zeros with <see cref="UnconnectedGradients.Zero"/>)
    /// when no element of the target depends on the source.
    /// </summary>
    public EagerTensor? Jacobian(Expr target, Expr source, UnconnectedGradients unconnectedGradients = UnconnectedGradients.None)
    {
        CheckTarget(target, "Jacobian");
        CheckSources(new[] { source }, "Jacobian");
        CheckHow(unconnectedGradients, "Jacobian");
        Use("Jacobian");
        try
        {
            var rows = new Expr?[target.Shape.Size];
            for (int i = 0; i < rows.Length; i++)
            {
                var e = new double[target.Shape.Size];
                e[i] = 1;
                rows[i] = Pullback(target, Ex.Const(Tensor.FromDoubles(e, target.Shape, target.DType)), new[] { source })[0];
            }
            var shape = new Shape(target.Shape.Concat(source.Shape).ToArray());
            Expr? jac = rows.All(r => r is null) ? Unconnected(source, unconnectedGradients) is null ? null : Ex.Zeros(shape, source.DType)
                : Ex.Reshape(Stack(rows, source), shape);
            return Results(new[] { jac })[0];
        }
        finally { Release(); }
    }

    /// <summary>The Jacobian with respect to a variable (see <see cref="Jacobian(Expr, Expr, UnconnectedGradients)"/>).</summary>
    public EagerTensor? Jacobian(Expr target, Variable source, UnconnectedGradients unconnectedGradients = UnconnectedGradients.None) =>
        Jacobian(target, (source ?? throw new FunctionalADException("GradientTape.Jacobian: the source variable is null")).Var, unconnectedGradients);

    /// <summary>
    /// The per-example Jacobian for a batch: result[b, i..., j...] = ∂target[b, i...]/∂source[b, j...], shaped
    /// (batch,) + target.shape[1:] + source.shape[1:]. It assumes, as TensorFlow does, that example b of the
    /// target depends only on example b of the source, which lets it take one reverse pass per element of
    /// one example instead of one per element of the batch.
    /// </summary>
    public EagerTensor? BatchJacobian(Expr target, Expr source, UnconnectedGradients unconnectedGradients = UnconnectedGradients.None)
    {
        CheckTarget(target, "BatchJacobian");
        CheckSources(new[] { source }, "BatchJacobian");
        CheckHow(unconnectedGradients, "BatchJacobian");
        if (target.Rank < 1 || source.Rank < 1 || target.Shape[0] != source.Shape[0])
            throw new ShapeException($"GradientTape.BatchJacobian: target {target.Shape} and source {source.Shape} need the same first (batch) dimension");
        Use("BatchJacobian");
        try
        {
            int batch = target.Shape[0], per = batch == 0 ? 0 : target.Shape.Size / batch;
            var rows = new Expr?[per];
            for (int j = 0; j < per; j++)
            {
                var e = new double[target.Shape.Size];
                for (int b = 0; b < batch; b++) e[b * per + j] = 1;
                var g = Pullback(target, Ex.Const(Tensor.FromDoubles(e, target.Shape, target.DType)), new[] { source })[0];
                rows[j] = g is null ? null : Ex.Reshape(g, batch, 1, source.Shape.Size / Math.Max(batch, 1));
            }
            var shape = new Shape(new[] { batch }.Concat(target.Shape.Skip(1)).Concat(source.Shape.Skip(1)).ToArray());
            Expr? jac = rows.All(r => r is null) ? Unconnected(source, unconnectedGradients) is null ? null : Ex.Zeros(shape, source.DType)
                : Ex.Reshape(StackBatched(rows, batch, source), shape);
            return Results(new[] { jac })[0];
        }
        finally { Release(); }
    }

    /// <summary>Rows of a Jacobian (each shaped like the source, null for zero) as a (rows, source size) matrix.</summary>
    private static Expr Stack(Expr?[] rows, Expr source)
    {
        int n = source.Shape.Size;
        var parts = rows.Select(r => r is null ? Ex.Zeros(new Shape(1, n), source.DType) : Ex.Reshape(r, 1, n)).ToArray();
        return parts.Length == 0 ? Ex.Zeros(new Shape(0, n), source.DType) : Ex.Concat(parts, 0);
    }

    /// <summary>Per-example rows, each (batch, 1, per-example source size) or null for zero, side by side on axis 1.</summary>
    private static Expr StackBatched(Expr?[] rows, int batch, Expr source)
    {
        int n = batch == 0 ? 0 : source.Shape.Size / batch;
        var parts = rows.Select(r => r ?? Ex.Zeros(new Shape(batch, 1, n), source.DType)).ToArray();
        return parts.Length == 0 ? Ex.Zeros(new Shape(batch, 0, n), source.DType) : Ex.Concat(parts, 1);
    }
}
