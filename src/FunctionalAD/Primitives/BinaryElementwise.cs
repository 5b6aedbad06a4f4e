using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// Base of z = f(a, b) element by element with NumPy broadcasting. A subclass gives the scalar
/// operation (and faster span loops where TensorPrimitives has them) and the partial derivatives as
/// expressions; the VJP sums each cotangent back over the axes its argument was broadcast along.
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

    /// <summary>The scalar operation.</summary>
    internal abstract T Op<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>d[i] = op(a[i], b[i]).</summary>
    internal virtual void VV<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Op(a[i], b[i]);
    }

    /// <summary>d[i] = op(a[i], b).</summary>
    internal virtual void VS<T>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Op(a[i], b);
    }

    /// <summary>d[i] = op(a, b[i]).</summary>
    internal virtual void SV<T>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Op(a, b[i]);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        Tensor a = args[0], b = args[1];
        Shape o = result.Shape;
        if (a.Shape == o && b.Shape == o) { VV<T>(a.Span<T>(), b.Span<T>(), result.Span<T>()); return; }
        if (a.Shape == o && b.Size == 1) { VS<T>(a.Span<T>(), b.Span<T>()[0], result.Span<T>()); return; }
        if (b.Shape == o && a.Size == 1) { SV<T>(a.Span<T>()[0], b.Span<T>(), result.Span<T>()); return; }
        if (o.Size == 0) return;
        var (dims, st) = Strided.Collapse(o.ToArray(), o.Strides(), Strided.Aligned(a.Shape, o), Strided.Aligned(b.Shape, o));
        int n = dims[^1], sa = st[1][^1], sb = st[2][^1];
        T[] av = a.Array<T>(), bv = b.Array<T>(), dv = result.Array<T>();
        Strided.ForEachRow(dims, st, off =>
        {
            var d = dv.AsSpan(off[0], n);
            if (sa != 0 && sb != 0) VV<T>(av.AsSpan(off[1], n), bv.AsSpan(off[2], n), d);
            else if (sa != 0) VS(av.AsSpan(off[1], n), bv[off[2]], d);
            else if (sb != 0) SV(av[off[1]], bv.AsSpan(off[2], n), d);
            else d.Fill(Op(av[off[1]], bv[off[2]]));
        });
    }

    /// <summary>∂z/∂(argument <paramref name="arg"/>) as an expression broadcastable to z.</summary>
    internal abstract Expr Partial(Apply z, int arg);

    internal override Expr Vjp(Apply z, int arg, Expr g) => Ex.SumTo(g * Partial(z, arg), z[arg].Shape);

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
