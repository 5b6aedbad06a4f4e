namespace FunctionalAD.Testing;

/// <summary>
/// A random function (an <see cref="ExprTree"/> over inputs x0, x1...) with its inputs' shapes and values drawn from a
/// seed (uniform in [-1.5, 1.5]). Prints as the math it builds, so a shrunk counterexample reads like
/// <c>f = tanh(x0) * x1</c>.
/// </summary>
/// <param name="Tree">The expression's description.</param>
/// <param name="Shapes">One shape per input.</param>
/// <param name="Seed">Seed of the inputs' values.</param>
public sealed record RandomExpression(Node Tree, Shape[] Shapes, int Seed)
{
    /// <summary>The function, to give to <see cref="GradCheck.Run(Func{Expr[], Expr}, Tensor[], int, CheckMode, GradCheckOptions?)"/>.</summary>
    public Func<Expr[], Expr> Function => v => ExprTree.Compile(Tree, v);

    /// <summary>The inputs' values (float64).</summary>
    public Tensor[] Values => Shapes.Select((s, i) =>
    {
        var r = new Random(Seed + 7919 * i);
        return Tensor.From(Enumerable.Range(0, s.Size).Select(_ => -1.5 + 3 * r.NextDouble()).ToArray(), s);
    }).ToArray();

    /// <summary>The point: <see cref="Values"/> named x0, x1...</summary>
    public Point Point => new(Values);

    /// <summary>Smaller trees first, then smaller shapes.</summary>
    public static IEnumerable<RandomExpression> Shrink(RandomExpression e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var t in ExprTree.Shrink(e.Tree)) yield return e with { Tree = t };
        for (int i = 0; i < e.Shapes.Length; i++)
            foreach (var s in Arbitraries.ShrinkShape(e.Shapes[i]))
            {
                var shapes = (Shape[])e.Shapes.Clone();
                shapes[i] = s;
                yield return e with { Shapes = shapes };
            }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var vars = Shapes.Select((s, i) => (Expr)Ex.Var($"x{i}", s, DType.Float64)).ToArray();
        return $"f = {ExprTree.Compile(Tree, vars)}\n  where {Point}\n  ({Tree.Size} nodes, seed {Seed})";
    }
}
