using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// Base of z = f(a, b) element by element with NumPy broadcasting. A subclass gives its operator
/// (<see cref="Operator"/>: one struct with scalar, Vector256 and Vector512 forms of f, which every backend
/// runs) and the partial derivatives as expressions; the VJP sums each cotangent back over the axes its
/// argument was broadcast along.
/// </summary>
public abstract class BinaryElementwise : Primitive
{
    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        var s = Shape.TryBroadcast(args[0].Shape, args[1].Shape)
            ?? throw new ShapeException($"{Name}: shapes {args[0].Shape} and {args[1].Shape} do not broadcast");
        return (s, dt);
    }

    /// <summary>The operator f, as the interpreter, the fused tiles and the register-fused loop all run it.</summary>
    internal abstract BinaryKernel Operator { get; }

    internal override FusedKind? Elementwise(Apply node) => FusedKind.Binary;

    /// <summary>f(a, b) for one pair, bit for bit what the span kernels give.</summary>
    internal T Op<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> d = stackalloc T[1];
        Operator.Map<T>(new ReadOnlySpan<T>(in a), true, new ReadOnlySpan<T>(in b), true, d);
        return d[0];
    }

    /// <summary>d[i] = op(a[i], b[i]).</summary>
    internal void VV<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => Operator.Map(a, false, b, false, d);

    /// <summary>d[i] = op(a[i], b).</summary>
    internal void VS<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => Operator.Map(a, false, new ReadOnlySpan<T>(in b), true, d);

    /// <summary>d[i] = op(a, b[i]).</summary>
    internal void SV<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => Operator.Map(new ReadOnlySpan<T>(in a), true, b, false, d);

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        Tensor a = args[0], b = args[1];
        Shape o = result.Shape;
        if (o.Size == 0) return;
        var k = Operator;
        if (a.Shape == o && b.Shape == o) { k.Map<T>(a.Span<T>(), false, b.Span<T>(), false, result.Span<T>()); return; }
        if (a.Shape == o && b.Size == 1) { k.Map<T>(a.Span<T>(), false, b.Span<T>(), true, result.Span<T>()); return; }
        if (b.Shape == o && a.Size == 1) { k.Map<T>(a.Span<T>(), true, b.Span<T>(), false, result.Span<T>()); return; }
        var (dims, st) = Strided.Collapse(o.ToArray(), o.Strides(), Strided.Aligned(a.Shape, o), Strided.Aligned(b.Shape, o));
        int n = dims[^1], sa = st[1][^1], sb = st[2][^1];
        T[] av = a.Array<T>(), bv = b.Array<T>(), dv = result.Array<T>();
        Strided.ForEachRow(dims, st, off =>
            k.Map<T>(av.AsSpan(off[1], sa != 0 ? n : 1), sa == 0, bv.AsSpan(off[2], sb != 0 ? n : 1), sb == 0, dv.AsSpan(off[0], n)));
    }

    /// <summary>∂z/∂(argument <paramref name="arg"/>) as an expression broadcastable to z.</summary>
    internal abstract Expr Partial(Apply z, int arg);

    internal override Expr Vjp(Apply z, int arg, Expr g) => Ex.SumTo(g * Partial(z, arg), z.Arg(arg).Shape);

    internal override Expr Jvp(Apply z, Expr?[] tangents)
    {
        Expr? sum = null;
        for (int i = 0; i < 2; i++)
        {
            if (tangents[i] is not { } t) continue;
            var term = t * Partial(z, i);
            sum = sum is null ? term : sum + term;
        }
        return Ex.BroadcastTo(sum!, z.Shape);
    }

    internal override string Format(string[] args) => $"{args[0]} {Symbol} {args[1]}";

    /// <summary>The infix symbol, for the operators that print infix.</summary>
    internal virtual string Symbol => Name;
}
