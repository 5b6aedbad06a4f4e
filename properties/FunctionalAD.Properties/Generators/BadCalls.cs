using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;

namespace FunctionalAD.Properties.Generators;

/// <summary>
/// A call that must fail: what it does, the FunctionalAD exception class it must raise, and the words its message
/// must contain (the operation, the shapes or dtypes involved, and for construction errors "in:" with the operands).
/// </summary>
public sealed record BadCall(string Description, Action Call, Type Expected, string[] MustMention)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Description}  (expects {Expected.Name} mentioning {string.Join(", ", MustMention.Select(m => $"\"{m}\""))})";
}

/// <summary>Generators of ill-shaped and ill-typed uses of the API.</summary>
public static class BadCalls
{
    private static Expr V(string name, Shape s, DType d = DType.Float64) => Ex.Var(name, s, d);

    /// <summary>Every kind of bad call, in equal measure.</summary>
    public static Gen<BadCall> Any => Gen.OneOf(
        BroadcastMismatch, MatMulInner, AxisOutOfRange, MixedFloats, IntWhereFloat, ReshapeSize,
        SliceOutOfRange, ConcatMismatch, GradOfNonScalar, MissingBinding, EnvWrongShape, EnvWrongDType,
        TransposeNotPermutation, BroadcastToIncompatible, TangentOrCotangentShape);

    private static readonly (string Name, Func<Expr, Expr, Expr> F)[] Binaries =
    {
        ("add", (a, b) => a + b), ("subtract", (a, b) => a - b), ("multiply", (a, b) => a * b), ("divide", (a, b) => a / b),
        ("pow", Ex.Pow), ("maximum", Ex.Maximum), ("minimum", Ex.Minimum), ("greater", Ex.Greater),
        ("less_equal", Ex.LessEqual), ("tie_share", Ex.TieShare),
    };

    /// <summary>Two shapes that do not broadcast: on some axis both sizes differ and neither is 1.</summary>
    public static Gen<(Shape A, Shape B)> NonBroadcasting =>
        from dims in Shapes.Dims(1, 3, 4)
        from axis in Gen.Choose(0, dims.Length - 1)
        from other in Gen.Choose(2, 5)
        from drop in Gen.Choose(0, axis)
        from swap in Gen.Elements(false, true)
        select Pair(dims, axis, other, drop, swap);

    private static (Shape, Shape) Pair(int[] dims, int axis, int other, int drop, bool swap)
    {
        var a = (int[])dims.Clone();
        if (a[axis] == 1) a[axis] = 6;
        var b = (int[])a.Clone();
        b[axis] = other == a[axis] ? other + 1 : other;
        var (sa, sb) = (new Shape(a), new Shape(b[drop..]));
        return swap ? (sb, sa) : (sa, sb);
    }

    private static Gen<BadCall> BroadcastMismatch =>
        from shapes in NonBroadcasting
        from op in Gen.Elements(Binaries.Append(("where", (a, b) => Ex.Where(Ex.Greater(a, 0.0), a, b))).ToArray())
        let a = V("a", shapes.A)
        let b = V("b", shapes.B)
        select new BadCall($"{op.Name} of {shapes.A} and {shapes.B}", () => op.F(a, b), typeof(ShapeException),
            new[] { op.Name, shapes.A.ToString(), shapes.B.ToString(), "in:", "a", "b" });

    private static Gen<BadCall> MatMulInner =>
        from m in Gen.Choose(1, 4)
        from k in Gen.Choose(1, 4)
        from k2 in Gen.Choose(1, 4).Where(x => x != k)
        from n in Gen.Choose(1, 4)
        from ta in Gen.Elements(false, true)
        from tb in Gen.Elements(false, true)
        let sa = ta ? new Shape(k, m) : new Shape(m, k)
        let sb = tb ? new Shape(n, k2) : new Shape(k2, n)
        select new BadCall($"matmul of {sa}{(ta ? "ᵀ" : "")} and {sb}{(tb ? "ᵀ" : "")}",
            () => Ex.MatMul(V("a", sa), V("b", sb), ta, tb), typeof(ShapeException),
            new[] { "matmul", sa.ToString(), sb.ToString(), "in:", "a", "b" });

    private static readonly (string Name, Func<Expr, int, Expr> F)[] AxisOps =
    {
        ("sum", (x, a) => Ex.Sum(x, a)), ("mean", (x, a) => Ex.Mean(x, a)), ("max", (x, a) => Ex.Max(x, a)),
        ("min", (x, a) => Ex.Min(x, a)), ("logsumexp", (x, a) => Ex.LogSumExp(x, a)), ("norm", (x, a) => Ex.Norm(x, new[] { a })),
        ("softmax", (x, a) => Ex.Softmax(x, a)), ("log_softmax", (x, a) => Ex.LogSoftmax(x, a)),
        ("concat", (x, a) => Ex.Concat(new[] { x, x }, a)),
    };

    private static Gen<BadCall> AxisOutOfRange =>
        from shape in Shapes.Of(0, 3, 3)
        from past in Gen.Choose(0, 3)
        from negative in Gen.Elements(false, true)
        from op in Gen.Elements(AxisOps)
        let axis = negative ? -shape.Rank - 1 - past : shape.Rank + past
        let x = V("x", shape)
        select new BadCall($"{op.Name} of {shape} over axis {axis}", () => op.F(x, axis), typeof(AxisException),
            new[] { op.Name, shape.ToString(), axis.ToString(), "in:", "x" });

    private static readonly (string Name, Func<Expr, Expr, Expr> F)[] TwoFloatOps = Binaries.Concat(new (string Name, Func<Expr, Expr, Expr> F)[]
    {
        ("matmul", (a, b) => Ex.MatMul(a, b)), ("concat", (a, b) => Ex.Concat(new[] { a, b }, 0)),
        ("where", (a, b) => Ex.Where(Ex.Greater(a, 0.0), a, b)),
    }).ToArray();

    private static Gen<BadCall> MixedFloats =>
        from op in Gen.Elements(TwoFloatOps)
        from n in Gen.Choose(1, 3)
        from swap in Gen.Elements(false, true)
        let shape = new Shape(n, n)
        let a = V("a", shape, swap ? DType.Float32 : DType.Float64)
        let b = V("b", shape, swap ? DType.Float64 : DType.Float32)
        select new BadCall($"{op.Name} of {a.DType.Name()} and {b.DType.Name()}", () => op.F(a, b), typeof(DTypeException),
            new[] { op.Name, "float32", "float64", "in:", "a", "b" });

    private static readonly (string Name, Func<Expr, Expr> F)[] FloatOnly =
    {
        ("exp", Ex.Exp), ("log", Ex.Log), ("tanh", Ex.Tanh), ("relu", Ex.Relu), ("negate", Ex.Negate), ("sum", x => Ex.Sum(x)),
        ("max", x => Ex.Max(x)), ("norm", x => Ex.Norm(x)), ("logsumexp", x => Ex.LogSumExp(x)), ("add", x => x + x),
        ("multiply", x => x * x), ("matmul", x => Ex.MatMul(x, x)), ("maximum", x => Ex.Maximum(x, x)),
    };

    private static Gen<BadCall> IntWhereFloat =>
        from op in Gen.Elements(FloatOnly)
        from n in Gen.Choose(1, 3)
        let i = V("labels", new Shape(n, n), DType.Int32)
        select new BadCall($"{op.Name} of int32", () => op.F(i), typeof(DTypeException), new[] { op.Name, "int32", "in:", "labels" });

    private static Gen<BadCall> ReshapeSize =>
        from shape in Shapes.Of(0, 3, 4)
        from target in Shapes.Dims(0, 3, 5).Where(d => d.Aggregate(1, (p, x) => p * x) != shape.Size)
        let x = V("x", shape)
        let t = new Shape(target)
        select new BadCall($"reshape {shape} to {t}", () => Ex.Reshape(x, target), typeof(ShapeException),
            new[] { "reshape", shape.ToString(), t.ToString(), "in:", "x" });

    private static Gen<BadCall> SliceOutOfRange =>
        from shape in Shapes.Of(1, 3, 4)
        from axis in Gen.Choose(0, shape.Rank - 1)
        from how in Gen.Choose(0, 2)
        let begin = shape.Select((_, i) => i == axis && how == 0 ? -1 : i == axis && how == 1 ? shape[i] : 0).ToArray()
        let size = shape.Select((d, i) => i == axis ? (how == 2 ? d + 1 : 1) : d).ToArray()
        let x = V("x", shape)
        select new BadCall($"slice of {shape} from [{string.Join(", ", begin)}] size [{string.Join(", ", size)}]",
            () => Ex.Slice(x, begin, size), typeof(ShapeException), new[] { "slice", shape.ToString(), "in:", "x" });

    private static Gen<BadCall> ConcatMismatch =>
        from a in Shapes.Of(1, 3, 3)
        from b in Shapes.Of(1, 3, 3)
        from axis in Gen.Choose(0, a.Rank - 1)
        where a.Rank != b.Rank || Enumerable.Range(0, a.Rank).Any(i => i != axis && a[i] != b[i])
        let x = V("x", a)
        let y = V("y", b)
        select new BadCall($"concat of {a} and {b} along {axis}", () => Ex.Concat(new Expr[] { x, y }, axis), typeof(ShapeException),
            new[] { "concat", a.ToString(), b.ToString(), "in:", "x", "y" });

    private static Gen<BadCall> GradOfNonScalar =>
        from shape in Shapes.Of(1, 3, 3).Where(s => s.Size != 1)
        let x = V("x", shape)
        select new BadCall($"Grad of tanh(x) with x {shape}", () => Ad.Grad(Ex.Tanh(x), x), typeof(DerivativeException),
            new[] { "Grad", shape.ToString(), "Vjp", "Jacobian" });

    private static Gen<BadCall> MissingBinding =>
        from shape in Shapes.Of(0, 2, 3)
        let x = V("x", shape)
        let y = V("unbound", shape)
        let t = Tensor.Zeros(shape, DType.Float64)
        select new BadCall($"eval of x + unbound with only x bound", () => Ad.Eval(x + y, Env.Of((x, t))),
            typeof(MissingBindingException), new[] { "unbound", shape.ToString() });

    private static Gen<BadCall> EnvWrongShape =>
        from shapes in Gen.Two(Shapes.Of(0, 3, 3)).Where(p => p.Item1 != p.Item2)
        let x = V("x", shapes.Item1)
        let t = Tensor.Zeros(shapes.Item2, DType.Float64)
        select new BadCall($"binding x {shapes.Item1} to a tensor of {shapes.Item2}", () => Env.Of((x, t)), typeof(ShapeException),
            new[] { "'x'", shapes.Item1.ToString(), shapes.Item2.ToString() });

    private static Gen<BadCall> EnvWrongDType =>
        from shape in Shapes.Of(0, 2, 3)
        from dtypes in Gen.Two(Gen.Elements(DType.Float32, DType.Float64, DType.Int32)).Where(p => p.Item1 != p.Item2)
        let x = V("x", shape, dtypes.Item1)
        let t = Tensor.Zeros(shape, dtypes.Item2)
        select new BadCall($"binding {dtypes.Item1.Name()} x to a {dtypes.Item2.Name()} tensor", () => Env.Of((x, t)),
            typeof(DTypeException), new[] { "'x'", dtypes.Item1.Name(), dtypes.Item2.Name() });

    private static Gen<BadCall> TransposeNotPermutation =>
        from shape in Shapes.Of(1, 3, 3)
        from perm in Gen.ArrayOf(Gen.Choose(0, shape.Rank + 1), shape.Rank)
            .Where(p => !p.OrderBy(v => v).SequenceEqual(Enumerable.Range(0, shape.Rank)))
        let x = V("x", shape)
        select new BadCall($"transpose of {shape} by [{string.Join(", ", perm)}]", () => Ex.Transpose(x, perm), typeof(AxisException),
            new[] { "transpose", shape.ToString(), "in:", "x" });

    private static Gen<BadCall> BroadcastToIncompatible =>
        from shapes in NonBroadcasting
        let x = V("x", shapes.A)
        select new BadCall($"broadcast_to of {shapes.A} to {shapes.B}", () => Ex.BroadcastTo(x, shapes.B), typeof(ShapeException),
            new[] { "broadcast_to", shapes.A.ToString(), shapes.B.ToString(), "in:", "x" });

    private static Gen<BadCall> TangentOrCotangentShape =>
        from shapes in Gen.Two(Shapes.Of(0, 2, 3)).Where(p => p.Item1 != p.Item2)
        from forward in Gen.Elements(false, true)
        let x = V("x", shapes.Item1)
        let wrong = Ex.Const(Tensor.Zeros(shapes.Item2, DType.Float64))
        select forward
            ? new BadCall($"Jvp of sin(x), x {shapes.Item1}, tangent {shapes.Item2}", () => Ad.Jvp(Ex.Sin(x), x, wrong),
                typeof(ShapeException), new[] { "Jvp", shapes.Item1.ToString(), shapes.Item2.ToString() })
            : new BadCall($"Vjp of sin(x), x {shapes.Item1}, cotangent {shapes.Item2}", () => Ad.Vjp(Ex.Sin(x), wrong, x),
                typeof(ShapeException), new[] { "Vjp", shapes.Item1.ToString(), shapes.Item2.ToString() });
}
