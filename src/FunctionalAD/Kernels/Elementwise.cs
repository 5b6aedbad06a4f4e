using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// The span drivers of element-wise operators: the widest vector the machine has over whole vectors, and the
/// same vector form for the remainder (through a padded register), so an element's value never depends on
/// where it falls in a span; an operator whose scalar form rounds exactly as its vector form
/// (<see cref="IUnaryOp.ScalarIsExact"/>) finishes with scalar code instead, which is cheaper on short spans. That is what lets the interpreter, the tiles of a fused step and the
/// register-fused loop agree bit for bit.
/// </summary>
internal static class Elementwise
{
    /// <summary>d[i] = f(x[i]) for the operator <typeparamref name="TOp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
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
            if (TOp.ScalarIsExact) for (; i < n; i++) Unsafe.Add(ref pd, i) = TOp.Invoke(Unsafe.Add(ref px, i));
            else if (i < n) Store(TOp.Invoke(Load512(x.Slice(i, n - i))), d.Slice(i));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            for (; i <= n - w; i += w) TOp.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            if (TOp.ScalarIsExact) for (; i < n; i++) Unsafe.Add(ref pd, i) = TOp.Invoke(Unsafe.Add(ref px, i));
            else if (i < n) Store(TOp.Invoke(Load256(x.Slice(i, n - i))), d.Slice(i));
        }
        else
            for (; i < n; i++) Unsafe.Add(ref pd, i) = TOp.Invoke(Unsafe.Add(ref px, i));
    }

    /// <summary>d[i] = f(a[i], b[i]) for the operator <typeparamref name="TOp"/>; an operand flagged scalar is its first element everywhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
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
            if (TOp.ScalarIsExact)
                for (; i < n; i++) Unsafe.Add(ref pd, i) = TOp.Invoke(aScalar ? a[0] : Unsafe.Add(ref pa, i), bScalar ? b[0] : Unsafe.Add(ref pb, i));
            else if (i < n) Store(TOp.Invoke(aScalar ? sa : Load512(a.Slice(i, n - i)), bScalar ? sb : Load512(b.Slice(i, n - i))), d.Slice(i));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            Vector256<T> sa = Vector256.Create(a[0]), sb = Vector256.Create(b[0]);
            if (aScalar) for (; i <= n - w; i += w) TOp.Invoke(sa, Vector256.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            else if (bScalar) for (; i <= n - w; i += w) TOp.Invoke(Vector256.LoadUnsafe(ref pa, (nuint)i), sb).StoreUnsafe(ref pd, (nuint)i);
            else for (; i <= n - w; i += w) TOp.Invoke(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
            if (TOp.ScalarIsExact)
                for (; i < n; i++) Unsafe.Add(ref pd, i) = TOp.Invoke(aScalar ? a[0] : Unsafe.Add(ref pa, i), bScalar ? b[0] : Unsafe.Add(ref pb, i));
            else if (i < n) Store(TOp.Invoke(aScalar ? sa : Load256(a.Slice(i, n - i)), bScalar ? sb : Load256(b.Slice(i, n - i))), d.Slice(i));
        }
        else
            for (; i < n; i++) Unsafe.Add(ref pd, i) = TOp.Invoke(aScalar ? a[0] : Unsafe.Add(ref pa, i), bScalar ? b[0] : Unsafe.Add(ref pb, i));
    }

    /// <summary>
    /// Σx: in order for spans shorter than a vector; otherwise in four vector accumulators (then lane by lane),
    /// the remainder through a zero-padded vector. The order depends on the length only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, i = 0;
        ref T px = ref MemoryMarshal.GetReference(x);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count;
            Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                s0 += Vector512.LoadUnsafe(ref px, (nuint)i);
                s1 += Vector512.LoadUnsafe(ref px, (nuint)(i + w));
                s2 += Vector512.LoadUnsafe(ref px, (nuint)(i + 2 * w));
                s3 += Vector512.LoadUnsafe(ref px, (nuint)(i + 3 * w));
            }
            for (; i <= n - w; i += w) s0 += Vector512.LoadUnsafe(ref px, (nuint)i);
            if (i < n) s1 += Load512(x.Slice(i));
            return Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        if (!Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int w = Vector256<T>.Count;
            Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                s0 += Vector256.LoadUnsafe(ref px, (nuint)i);
                s1 += Vector256.LoadUnsafe(ref px, (nuint)(i + w));
                s2 += Vector256.LoadUnsafe(ref px, (nuint)(i + 2 * w));
                s3 += Vector256.LoadUnsafe(ref px, (nuint)(i + 3 * w));
            }
            for (; i <= n - w; i += w) s0 += Vector256.LoadUnsafe(ref px, (nuint)i);
            if (i < n) s1 += Load256(x.Slice(i));
            return Vector256.Sum((s0 + s1) + (s2 + s3));
        }
        T s = T.Zero;
        for (; i < n; i++) s += Unsafe.Add(ref px, i);
        return s;
    }

    /// <summary>max x, NaN winning; -∞ for an empty span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Max<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, i = 0;
        ref T px = ref MemoryMarshal.GetReference(x);
        T m = T.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count;
            var v = Vector512.LoadUnsafe(ref px);
            for (i = w; i <= n - w; i += w) v = Vector512.Max(v, Vector512.LoadUnsafe(ref px, (nuint)i));
            // The last whole vector, overlapping the ones before: max does not mind seeing an element twice.
            v = Vector512.Max(v, Vector512.LoadUnsafe(ref px, (nuint)(n - w)));
            for (int j = 0; j < w; j++) m = MaxNaN(m, v[j]);
            return m;
        }
        for (; i < n; i++) m = MaxNaN(m, Unsafe.Add(ref px, i));
        return m;
    }

    /// <summary>True when <see cref="Sum{T}"/> and <see cref="Max{T}"/> take a span of <paramref name="n"/> elements left to right in scalar code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsShortRow<T>(int n) where T : unmanaged =>
        Vector512.IsHardwareAccelerated ? n < Vector512<T>.Count : !Vector256.IsHardwareAccelerated || n < Vector256<T>.Count;

    /// <summary>The larger of a and b, NaN winning: the scalar step of <see cref="Max{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T MaxNaN<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.IsNaN(a) || b > a || T.IsNaN(b) ? (T.IsNaN(a) ? a : b) : a;

    /// <summary>f(a, b) for one pair, computed the way the span driver computes every element.</summary>
    public static T Scalar<TOp, T>(T a, T b) where TOp : struct, IBinaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (TOp.ScalarIsExact) return TOp.Invoke(a, b);
        if (Vector512.IsHardwareAccelerated) return TOp.Invoke(Vector512.Create(a), Vector512.Create(b)).ToScalar();
        if (Vector256.IsHardwareAccelerated) return TOp.Invoke(Vector256.Create(a), Vector256.Create(b)).ToScalar();
        return TOp.Invoke(a, b);
    }

    /// <summary>f(x) for one element, computed the way the span driver computes every element.</summary>
    public static T Scalar<TOp, T>(T x) where TOp : struct, IUnaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (TOp.ScalarIsExact) return TOp.Invoke(x);
        if (Vector512.IsHardwareAccelerated) return TOp.Invoke(Vector512.Create(x)).ToScalar();
        if (Vector256.IsHardwareAccelerated) return TOp.Invoke(Vector256.Create(x)).ToScalar();
        return TOp.Invoke(x);
    }

    // Fewer elements than a vector: the rest of the register is zero, and only the real lanes are stored back.
    // Element by element: for the handful of elements of a remainder a call to a block copy costs more.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Load512<T>(ReadOnlySpan<T> s) where T : unmanaged
    {
        var v = Vector512<T>.Zero;
        ref T r = ref Unsafe.As<Vector512<T>, T>(ref v);
        for (int j = 0; j < s.Length; j++) Unsafe.Add(ref r, j) = s[j];
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Load256<T>(ReadOnlySpan<T> s) where T : unmanaged
    {
        var v = Vector256<T>.Zero;
        ref T r = ref Unsafe.As<Vector256<T>, T>(ref v);
        for (int j = 0; j < s.Length; j++) Unsafe.Add(ref r, j) = s[j];
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> v, Span<T> d) where T : unmanaged
    {
        ref T r = ref Unsafe.As<Vector512<T>, T>(ref v);
        for (int j = 0; j < d.Length; j++) d[j] = Unsafe.Add(ref r, j);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector256<T> v, Span<T> d) where T : unmanaged
    {
        ref T r = ref Unsafe.As<Vector256<T>, T>(ref v);
        for (int j = 0; j < d.Length; j++) d[j] = Unsafe.Add(ref r, j);
    }
}

/// <summary>
/// max(a, b) with the first NaN winning and ties keeping a (<see cref="Elementwise.MaxNaN{T}"/>), lane by lane: the
/// step of a running row maximum, as the reductions take it. Not the <c>maximum</c> primitive, whose
/// <c>Vector512.Max</c> orders −0 below +0.
/// </summary>
internal readonly struct MaxNaNOperator : IBinaryOp
{
    public static bool ScalarIsExact => true;
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => Elementwise.MaxNaN(a, b);
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.Equals(a, a) & (Vector256.GreaterThan(b, a) | ~Vector256.Equals(b, b)), b, a);
    public static Vector512<T> Invoke<T>(Vector512<T> a, Vector512<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(Vector512.Equals(a, a) & (Vector512.GreaterThan(b, a) | ~Vector512.Equals(b, b)), b, a);
}
