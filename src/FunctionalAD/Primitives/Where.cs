using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// where(c, a, b): a where c ≠ 0, else b, all three broadcast together. The condition carries no
/// derivative; each branch gets the cotangent where it was chosen: vjp_a = where(c, g, 0).
/// </summary>
public sealed class WhereOp : Primitive
{
    internal static readonly WhereOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "where";
    // Cast to BOOL (TensorProto code 9) is "≠ 0", which is how the kernel reads the condition (NaN counts as true).
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) =>
        b.Node("Where", [b.Node("Cast", [a[0]], OnnxAttribute.Int("to", 9)), a[1], a[2]]);

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args.AsSpan(1));
        var s = Shape.TryBroadcast(args[0].Shape, args[1].Shape) is { } ab ? Shape.TryBroadcast(ab, args[2].Shape) : null;
        return (s ?? throw new ShapeException($"where: condition {args[0].Shape}, x {args[1].Shape} and y {args[2].Shape} do not broadcast"), dt);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        var o = result.Shape;
        if (o.Size == 0) return;
        var condition = args[0].Cast(DType.Float64);
        var c = condition.Array<double>();
        T[] a = args[1].Array<T>(), b = args[2].Array<T>(), d = result.Array<T>();
        var (dims, st) = Strided.Collapse(o.ToArray(), o.Strides(), Strided.Aligned(args[0].Shape, o),
            Strided.Aligned(args[1].Shape, o), Strided.Aligned(args[2].Shape, o));
        int n = dims[^1], sc = st[1][^1], sa = st[2][^1], sb = st[3][^1];
        Strided.ForEachRow(dims, st, off =>
        {
            for (int i = 0; i < n; i++)
                d[off[0] + i] = c[off[1] + i * sc] != 0 ? a[off[2] + i * sa] : b[off[3] + i * sb];
        });
        GC.KeepAlive(condition);  // its storage may be pooled (ResultPool): not recycled while c is read
    }

    /// <summary>d[i] = c[i] ≠ 0 ? a[i] : b[i]; a and b may each be one broadcast element.</summary>
    /// <summary>a where c ≠ 0, else b, lane by lane: the operator the fused kernels and the register-fused loop share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Select<T>(Vector512<T> c, Vector512<T> a, Vector512<T> b) =>
        Vector512.ConditionalSelect(Vector512.Equals(c, Vector512<T>.Zero), b, a);

    internal static void Select<T>(ReadOnlySpan<T> c, ReadOnlySpan<T> a, bool aScalar, ReadOnlySpan<T> b, bool bScalar, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length, i = 0;
        ref T pc = ref MemoryMarshal.GetReference(c);
        ref T pa = ref MemoryMarshal.GetReference(a), pb = ref MemoryMarshal.GetReference(b), pd = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            var sa = aScalar ? Vector512.Create(a[0]) : default;
            var sb = bScalar ? Vector512.Create(b[0]) : default;
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var x = aScalar ? sa : Vector512.LoadUnsafe(ref pa, (nuint)i);
                var y = bScalar ? sb : Vector512.LoadUnsafe(ref pb, (nuint)i);
                Select(Vector512.LoadUnsafe(ref pc, (nuint)i), x, y).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            var sa = aScalar ? Vector256.Create(a[0]) : default;
            var sb = bScalar ? Vector256.Create(b[0]) : default;
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var keepB = Vector256.Equals(Vector256.LoadUnsafe(ref pc, (nuint)i), Vector256<T>.Zero);
                var x = aScalar ? sa : Vector256.LoadUnsafe(ref pa, (nuint)i);
                var y = bScalar ? sb : Vector256.LoadUnsafe(ref pb, (nuint)i);
                Vector256.ConditionalSelect(keepB, y, x).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref pd, i) = Unsafe.Add(ref pc, i) != T.Zero ? (aScalar ? a[0] : Unsafe.Add(ref pa, i)) : (bScalar ? b[0] : Unsafe.Add(ref pb, i));
    }

    // A condition of the branches' dtype is read in the fused loop like any operand; any other runs as its own step.
    internal override FusedKind? Elementwise(Apply node) => node.Arg(0).DType == node.DType ? FusedKind.Select : null;

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => node.DType == DType.Float32
        ? WhereStep<float>.For(node, args, result)
        : WhereStep<double>.For(node, args, result);

    internal override bool Differentiable(int arg) => arg > 0;

    internal override Expr Vjp(Apply y, int arg, Expr g) => arg == 1
        ? Ex.SumTo(Ex.Where(y.Arg(0), g, Ex.ZerosLike(g)), y.Arg(1).Shape)
        : Ex.SumTo(Ex.Where(y.Arg(0), Ex.ZerosLike(g), g), y.Arg(2).Shape);

    internal override Expr Jvp(Apply y, Expr?[] t) =>
        Ex.Where(y.Arg(0), t[1] ?? Ex.ZerosLike(y), t[2] ?? Ex.ZerosLike(y));

    internal override Expr? Simplify(Expr[] a)
    {
        var shape = Shape.TryBroadcast(Shape.TryBroadcast(a[0].Shape, a[1].Shape)!, a[2].Shape)!;
        if (ReferenceEquals(a[1], a[2])) return Ex.BroadcastTo(a[1], shape);
        if (Ex.UniformValue(a[0]) is { } c) return Ex.BroadcastTo(c != 0 ? a[1] : a[2], shape);
        return null;
    }
}

public static partial class Ex
{
    /// <summary>x where <paramref name="condition"/> is non-zero, else y; all three broadcast together.</summary>
    public static Expr Where(Expr condition, Expr x, Expr y)
    {
        (x, y) = Coerce(x, y);
        return Primitive.Build(WhereOp.Instance, condition, x, y);
    }
}
