using FsCheck;
using FsCheck.Fluent;

namespace FunctionalAD.Testing;

/// <summary>
/// FsCheck 3 generators with shrinking for your own properties: shapes, tensors on a <see cref="Domain"/>, points
/// (several inputs of one shape) and random expressions built from the public combinators. A failing case shrinks to a
/// small one: fewer axes and elements first (down to one scalar), then simpler values.
/// </summary>
public static class Arbitraries
{
    /// <summary>Shapes of rank 0..<paramref name="maxRank"/> with dimensions 1..<paramref name="maxDim"/>.</summary>
    public static Gen<Shape> ShapeGen(int maxRank = 2, int maxDim = 3)
    {
        RequireSizes(maxRank, maxDim);
        return from rank in Gen.Choose(0, maxRank)
               from dims in Gen.ArrayOf(Gen.Choose(1, maxDim), rank)
               select new Shape(dims);
    }

    /// <summary>Smaller shapes: the scalar shape, the last axis dropped, one dimension set to 1.</summary>
    public static IEnumerable<Shape> ShrinkShape(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Rank == 0) yield break;
        yield return Shape.Scalar;
        var dims = shape.ToArray();
        if (dims.Length > 1) yield return new Shape(dims[..^1]);
        for (int d = 0; d < dims.Length; d++)
            if (dims[d] > 1)
            {
                var smaller = (int[])dims.Clone();
                smaller[d] = 1;
                yield return new Shape(smaller);
            }
    }

    /// <summary>Shapes that shrink (see <see cref="ShrinkShape"/>).</summary>
    public static Arbitrary<Shape> Shapes(int maxRank = 2, int maxDim = 3) => Arb.From(ShapeGen(maxRank, maxDim), ShrinkShape);

    /// <summary>Tensors of <paramref name="shape"/> with elements in <paramref name="domain"/> (<see cref="Domain.Any"/> by default).</summary>
    public static Gen<Tensor> TensorGen(Shape shape, Domain? domain = null, DType dtype = DType.Float64)
    {
        ArgumentNullException.ThrowIfNull(shape);
        RequireFloat(dtype);
        return Gen.ArrayOf((domain ?? Domain.Any).Element, shape.Size).Select(v => GradCheck.Make(v, shape, dtype));
    }

    /// <summary>
    /// Smaller tensors: each single element as a scalar, then the shape shrunk (keeping the elements at the remaining
    /// indices), then one element at a time replaced by a simpler value of <paramref name="domain"/>.
    /// </summary>
    public static IEnumerable<Tensor> ShrinkTensor(Tensor t, Domain? domain = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        return ShrinkPoint(new Point(new[] { t }), new[] { domain ?? Domain.Any }).Select(p => p.Inputs[0]);
    }

    /// <summary>Tensors of generated shapes on a domain, shrinking (see <see cref="ShrinkTensor"/>).</summary>
    public static Arbitrary<Tensor> Tensors(Domain? domain = null, int maxRank = 2, int maxDim = 3, DType dtype = DType.Float64)
    {
        var d = domain ?? Domain.Any;
        return Arb.From(from s in ShapeGen(maxRank, maxDim) from t in TensorGen(s, d, dtype) select t, t => ShrinkTensor(t, d));
    }

    /// <summary>
    /// Points for a function of <c>domains.Count</c> inputs: one generated shape shared by all inputs (so element-wise
    /// functions and broadcasting ones fit), input i with elements in <c>domains[i]</c>. Shrinks all inputs' shapes together.
    /// </summary>
    public static Arbitrary<Point> Points(IReadOnlyList<Domain> domains, int maxRank = 2, int maxDim = 3, DType dtype = DType.Float64)
    {
        ArgumentNullException.ThrowIfNull(domains);
        if (domains.Count == 0) throw new ArgumentOutOfRangeException(nameof(domains), "Points: give one domain per input");
        if (domains.Any(d => d is null)) throw new ArgumentNullException(nameof(domains), "Points: a domain is null");
        var ds = domains.ToArray();
        var gen = from s in ShapeGen(maxRank, maxDim)
                  from ts in Gen.CollectToArray(ds, d => TensorGen(s, d, dtype))
                  select new Point(ts);
        return Arb.From(gen, p => ShrinkPoint(p, ds));
    }

    /// <summary>Points with fixed shapes, one per input, with elements in <paramref name="domain"/>; values shrink.</summary>
    public static Arbitrary<Point> Points(Domain domain, params Shape[] shapes)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(shapes);
        if (shapes.Length == 0 || shapes.Any(s => s is null)) throw new ArgumentOutOfRangeException(nameof(shapes), "Points: give one shape per input");
        var gen = Gen.CollectToArray(shapes, s => TensorGen(s, domain)).Select(ts => new Point(ts));
        return Arb.From(gen, p => ShrinkValues(p, shapes.Select(_ => domain).ToArray()));
    }

    /// <summary>Smaller points: shapes first (all inputs together, when they share a shape), then values.</summary>
    public static IEnumerable<Point> ShrinkPoint(Point point, IReadOnlyList<Domain> domains)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(domains);
        var shape = point.Inputs[0].Shape;
        if (point.Inputs.All(t => t.Shape == shape) && shape.Rank > 0)
        {
            for (int k = 0; k < shape.Size; k++)
                yield return new Point(point.Inputs.Select(t => Element(t, k)).ToArray(), point.Names);
            foreach (var s in ShrinkShape(shape).Where(s => s.Rank > 0))
                yield return new Point(point.Inputs.Select(t => Restrict(t, s)).ToArray(), point.Names);
        }
        foreach (var p in ShrinkValues(point, domains)) yield return p;
    }

    private static IEnumerable<Point> ShrinkValues(Point point, IReadOnlyList<Domain> domains)
    {
        for (int i = 0; i < point.Inputs.Count; i++)
        {
            var t = point.Inputs[i];
            if (!t.DType.IsFloat()) continue;
            var v = t.ToArray<double>();
            for (int j = 0; j < v.Length; j++)
                foreach (var c in domains[Math.Min(i, domains.Count - 1)].Shrink(v[j]))
                {
                    var w = (double[])v.Clone();
                    w[j] = c;
                    var inputs = point.Inputs.ToArray();
                    inputs[i] = GradCheck.Make(w, t.Shape, t.DType);
                    yield return new Point(inputs, point.Names);
                }
        }
    }

    private static Tensor Element(Tensor t, int k) => GradCheck.Make(new[] { t.ToArray<double>()[k] }, Shape.Scalar, t.DType);

    // The elements at the indices the smaller shape keeps (dropped trailing axes at index 0).
    private static Tensor Restrict(Tensor t, Shape to)
    {
        var v = t.ToArray<double>();
        var from = t.Shape;
        var r = new double[to.Size];
        for (int k = 0; k < r.Length; k++)
        {
            var index = Checker.Unravel(k, to);
            int flat = 0;
            for (int a = 0; a < from.Rank; a++) flat = flat * from[a] + (a < index.Length ? index[a] : 0);
            r[k] = v[flat];
        }
        return GradCheck.Make(r, to, t.DType);
    }

    /// <summary>
    /// Random functions of <paramref name="inputs"/> float64 inputs built from the public combinators (element-wise maps,
    /// arithmetic, matrix products, reductions, softmax, layout), trees of depth ≤ <paramref name="depth"/>, every subtree
    /// well-typed. With <paramref name="smoothOnly"/>, blocks with kinks or jumps (abs, relu, sign, max, min, where) are
    /// left out. Shrinks to smaller trees, then smaller shapes.
    /// </summary>
    public static Arbitrary<RandomExpression> Expressions(int inputs = 2, int depth = 4, bool smoothOnly = true)
    {
        if (inputs is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(inputs), $"Expressions: 1 to 8 inputs, got {inputs}");
        if (depth is < 0 or > 8) throw new ArgumentOutOfRangeException(nameof(depth), $"Expressions: depth 0 to 8, got {depth}");
        var gen = from shapes in Gen.ArrayOf(ShapeGen(2, 3), inputs)
                  from tree in ExprTree.Of(depth, inputs, smoothOnly)
                  from seed in Gen.Choose(0, 1 << 30)
                  select new RandomExpression(tree, shapes, seed);
        return Arb.From(gen, RandomExpression.Shrink);
    }

    private static void RequireSizes(int maxRank, int maxDim)
    {
        if (maxRank is < 0 or > 6) throw new ArgumentOutOfRangeException(nameof(maxRank), $"rank 0 to 6, got {maxRank}");
        if (maxDim < 1) throw new ArgumentOutOfRangeException(nameof(maxDim), $"dimensions of at least 1, got {maxDim}");
    }

    private static void RequireFloat(DType dtype)
    {
        if (!dtype.IsFloat()) throw new ArgumentOutOfRangeException(nameof(dtype), $"generated tensors are float32 or float64, not {dtype}");
    }
}
