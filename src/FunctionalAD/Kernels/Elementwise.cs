using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// The span drivers of element-wise operators: the widest vector the machine has over whole vectors, and the
/// same vector form for the remainder (through a padded register), so an element's value never depends on
/// where it falls in a span. That is what lets the interpreter, the tiles of a fused step and the
/// register-fused loop agree bit for bit.
/// </summary>
internal static class Elementwise
{
    /// <summary>d[i] = f(x[i]) for the operator <typeparamref name="TOp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp, T>(ReadOnlySpan<T> x, Span<T> d)
        where TOp : struct, IUnaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < d.Length) throw new ArgumentException($"input has {x.Length} elements, output {d.Length}", nameof(x));
        int n = d.Length, i = 0;
        ref T px = ref MemoryMarshal.GetReference(x), pd = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated)
        {
            int w = Vector512<T>.Count;
            for (; i <= n - w; i += w) TOp.Invoke(Vector512.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            if (i < n) Store(TOp.Invoke(Load512(x.Slice(i, n - i))), d.Slice(i));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            for (; i <= n - w; i += w) TOp.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            if (i < n) Store(TOp.Invoke(Load256(x.Slice(i, n - i))), d.Slice(i));
        }
        else
            for (; i < n; i++) Unsafe.Add(ref pd, i) = TOp.Invoke(Unsafe.Add(ref px, i));
    }

    /// <summary>d[i] = f(a[i], b[i]) for the operator <typeparamref name="TOp"/>; an operand flagged scalar is its first element everywhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp, T>(ReadOnlySpan<T> a, bool aScalar, ReadOnlySpan<T> b, bool bScalar, Span<T> d)
        where TOp : struct, IBinaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length, i = 0;
        if (n == 0) return;
        if ((aScalar ? a.Length < 1 : a.Length < n) || (bScalar ? b.Length < 1 : b.Length < n))
            throw new ArgumentException($"operands of {a.Length} and {b.Length} elements for an output of {n}");
        if (aScalar && bScalar)
        {
            // One number: compute it once, by the same vector form as everywhere else, and spread it.
            d.Fill(Scalar<TOp, T>(a[0], b[0]));
            return;
        }
        ref T pa = ref MemoryMarshal.GetReference(a), pb = ref MemoryMarshal.GetReference(b), pd = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated)
        {
            int w = Vector512<T>.Count;
            Vector512<T> sa = Vector512.Create(a[0]), sb = Vector512.Create(b[0]);
            if (aScalar) for (; i <= n - w; i += w) TOp.Invoke(sa, Vector512.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            else if (bScalar) for (; i <= n - w; i += w) TOp.Invoke(Vector512.LoadUnsafe(ref pa, (nuint)i), sb).StoreUnsafe(ref pd, (nuint)i);
            else for (; i <= n - w; i += w) TOp.Invoke(Vector512.LoadUnsafe(ref pa, (nuint)i), Vector512.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            if (i < n) Store(TOp.Invoke(aScalar ? sa : Load512(a.Slice(i, n - i)), bScalar ? sb : Load512(b.Slice(i, n - i))), d.Slice(i));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            Vector256<T> sa = Vector256.Create(a[0]), sb = Vector256.Create(b[0]);
            if (aScalar) for (; i <= n - w; i += w) TOp.Invoke(sa, Vector256.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            else if (bScalar) for (; i <= n - w; i += w) TOp.Invoke(Vector256.LoadUnsafe(ref pa, (nuint)i), sb).StoreUnsafe(ref pd, (nuint)i);
            else for (; i <= n - w; i += w) TOp.Invoke(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            if (i < n) Store(TOp.Invoke(aScalar ? sa : Load256(a.Slice(i, n - i)), bScalar ? sb : Load256(b.Slice(i, n - i))), d.Slice(i));
        }
        else
            for (; i < n; i++) Unsafe.Add(ref pd, i) = TOp.Invoke(aScalar ? a[0] : Unsafe.Add(ref pa, i), bScalar ? b[0] : Unsafe.Add(ref pb, i));
    }

    /// <summary>f(a, b) for one pair, computed the way the span driver computes every element.</summary>
    public static T Scalar<TOp, T>(T a, T b) where TOp : struct, IBinaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated) return TOp.Invoke(Vector512.Create(a), Vector512.Create(b)).ToScalar();
        if (Vector256.IsHardwareAccelerated) return TOp.Invoke(Vector256.Create(a), Vector256.Create(b)).ToScalar();
        return TOp.Invoke(a, b);
    }

    /// <summary>f(x) for one element, computed the way the span driver computes every element.</summary>
    public static T Scalar<TOp, T>(T x) where TOp : struct, IUnaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated) return TOp.Invoke(Vector512.Create(x)).ToScalar();
        if (Vector256.IsHardwareAccelerated) return TOp.Invoke(Vector256.Create(x)).ToScalar();
        return TOp.Invoke(x);
    }

    // Fewer elements than a vector: the rest of the register is zero, and only the real lanes are stored back.
    private static Vector512<T> Load512<T>(ReadOnlySpan<T> s) where T : unmanaged
    {
        var v = Vector512<T>.Zero;
        s.CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.As<Vector512<T>, T>(ref v), Vector512<T>.Count));
        return v;
    }

    private static Vector256<T> Load256<T>(ReadOnlySpan<T> s) where T : unmanaged
    {
        var v = Vector256<T>.Zero;
        s.CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.As<Vector256<T>, T>(ref v), Vector256<T>.Count));
        return v;
    }

    private static void Store<T>(Vector512<T> v, Span<T> d) where T : unmanaged =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector512<T>, T>(ref v), d.Length).CopyTo(d);

    private static void Store<T>(Vector256<T> v, Span<T> d) where T : unmanaged =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector256<T>, T>(ref v), d.Length).CopyTo(d);
}
