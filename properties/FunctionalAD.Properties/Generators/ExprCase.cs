using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;
using FunctionalAD.Testing;
using FunctionalAD.Properties.Support;

namespace FunctionalAD.Properties.Generators;

/// <summary>
/// A random expression over float64 variables x, y, z with their shapes and values. Prints as the math it
/// compiles to, so a shrunk counterexample reads like <c>f = tanh(x) * y</c>.
/// </summary>
public sealed record ExprCase(Node Tree, Shape[] Shapes, int Seed)
{
    private static readonly string[] Names = { "x", "y", "z" };

    /// <summary>The variables.</summary>
    public Var[] Vars => Shapes.Select((s, i) => (Var)Ex.Var(Names[i], s, DType.Float64)).ToArray();

    /// <summary>Their values, uniform in [-1.5, 1.5] from the seed.</summary>
    public Tensor[] Values => Shapes.Select((s, i) => Numerics.Uniform(s, Seed + 7919 * i, -1.5, 1.5)).ToArray();

    /// <summary>The expression.</summary>
    public Expr Expr => ExprTree.Compile(Tree, Vars);

    /// <inheritdoc/>
    public override string ToString()
    {
        var vars = Vars.Zip(Values, (v, t) => $"{v.Name}{v.Shape} = [{Numerics.Show(t.ToArray<double>())}]");
        return $"f = {Expr}\n  where {string.Join("; ", vars)}\n  ({Tree.Size} nodes, seed {Seed})";
    }

    /// <summary>Random cases: 1-3 variables of rank ≤ 2 and dimensions ≤ 3, trees of depth ≤ 5 by default.</summary>
    public static Arbitrary<ExprCase> Arbitrary(bool smoothOnly = false, int depth = 5) =>
        Arb.From(
            from n in Gen.Choose(1, 3)
            from shapes in Gen.ArrayOf(Generators.Shapes.Of(0, 2, 3), n)
            from tree in ExprTree.Of(depth, n, smoothOnly)
            from seed in Gen.Choose(0, 1 << 30)
            select new ExprCase(tree, shapes, seed),
            Shrink);

    /// <summary>Smaller trees first, then smaller shapes (a dimension set to 1, a trailing axis dropped).</summary>
    public static IEnumerable<ExprCase> Shrink(ExprCase c)
    {
        foreach (var t in ExprTree.Shrink(c.Tree)) yield return c with { Tree = t };
        for (int i = 0; i < c.Shapes.Length; i++)
        {
            var dims = c.Shapes[i].ToArray();
            if (dims.Length > 0) yield return WithShape(c, i, dims[..^1]);
            for (int d = 0; d < dims.Length; d++)
                if (dims[d] > 1)
                {
                    var smaller = (int[])dims.Clone();
                    smaller[d] = 1;
                    yield return WithShape(c, i, smaller);
                }
        }
    }

    private static ExprCase WithShape(ExprCase c, int i, int[] dims)
    {
        var shapes = (Shape[])c.Shapes.Clone();
        shapes[i] = new Shape(dims);
        return c with { Shapes = shapes };
    }
}
