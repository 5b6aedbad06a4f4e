using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// Span kernels for the element-wise operations TensorPrimitives has no loop for (comparisons as 0/1 masks,
/// the tie share of max, sign, select), written for Vector512, then Vector256, then scalars. The fused
/// kernels of compiled functions call these instead of the primitives' scalar fallbacks.
/// An operand given as a one-element span with <c>broadcast</c> set is read as that value everywhere.
/// </summary>
internal static class FusedOps
{
    /// <summary>d[i] = [a[i] ⋈ b[i]] as 1 or 0, where ⋈ is <paramref name="kind"/>; a or b may be one broadcast element.</summary>
    public static void Compare<T>(Comparison kind, ReadOnlySpan<T> a, bool aScalar, ReadOnlySpan<T> b, bool bScalar, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length, i = 0;
        ref T pa = ref MemoryMarshal.GetReference(a), pb = ref MemoryMarshal.GetReference(b), pd = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            var one = Vector512<T>.One;
            var sa = aScalar ? Vector512.Create(a[0]) : default;
            var sb = bScalar ? Vector512.Create(b[0]) : default;
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var x = aScalar ? sa : Vector512.LoadUnsafe(ref pa, (nuint)i);
                var y = bScalar ? sb : Vector512.LoadUnsafe(ref pb, (nuint)i);
                var m = kind switch
                {
                    Comparison.Greater => Vector512.GreaterThan(x, y),
                    Comparison.GreaterEqual => Vector512.GreaterThanOrEqual(x, y),
                    Comparison.Less => Vector512.LessThan(x, y),
                    Comparison.LessEqual => Vector512.LessThanOrEqual(x, y),
                    Comparison.Equal => Vector512.Equals(x, y),
                    _ => ~Vector512.Equals(x, y),
                };
                (m & one).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            var one = Vector256<T>.One;
            var sa = aScalar ? Vector256.Create(a[0]) : default;
            var sb = bScalar ? Vector256.Create(b[0]) : default;
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var x = aScalar ? sa : Vector256.LoadUnsafe(ref pa, (nuint)i);
                var y = bScalar ? sb : Vector256.LoadUnsafe(ref pb, (nuint)i);
                var m = kind switch
                {
                    Comparison.Greater => Vector256.GreaterThan(x, y),
                    Comparison.GreaterEqual => Vector256.GreaterThanOrEqual(x, y),
                    Comparison.Less => Vector256.LessThan(x, y),
                    Comparison.LessEqual => Vector256.LessThanOrEqual(x, y),
                    Comparison.Equal => Vector256.Equals(x, y),
                    _ => ~Vector256.Equals(x, y),
                };
                (m & one).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T x = aScalar ? a[0] : Unsafe.Add(ref pa, i), y = bScalar ? b[0] : Unsafe.Add(ref pb, i);
            Unsafe.Add(ref pd, i) = CompareScalar(kind, x, y);
        }
    }

    /// <summary>The scalar meaning of <see cref="Compare{T}"/>: 1 when the relation holds, else 0.</summary>
    public static T CompareScalar<T>(Comparison kind, T x, T y) where T : unmanaged, IFloatingPointIeee754<T> =>
        (kind switch
        {
            Comparison.Greater => x > y,
            Comparison.GreaterEqual => x >= y,
            Comparison.Less => x < y,
            Comparison.LessEqual => x <= y,
            Comparison.Equal => x == y,
            _ => x != y,
        }) ? T.One : T.Zero;

    /// <summary>d[i] = 1 where a &gt; b, ½ where a = b, else 0 (the share of d max(a, b) that is a's).</summary>
    public static void TieShare<T>(ReadOnlySpan<T> a, bool aScalar, ReadOnlySpan<T> b, bool bScalar, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length, i = 0;
        ref T pa = ref MemoryMarshal.GetReference(a), pb = ref MemoryMarshal.GetReference(b), pd = ref MemoryMarshal.GetReference(d);
        T half = T.One / (T.One + T.One);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            var one = Vector512<T>.One;
            var h = Vector512.Create(half);
            var sa = aScalar ? Vector512.Create(a[0]) : default;
            var sb = bScalar ? Vector512.Create(b[0]) : default;
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var x = aScalar ? sa : Vector512.LoadUnsafe(ref pa, (nuint)i);
                var y = bScalar ? sb : Vector512.LoadUnsafe(ref pb, (nuint)i);
                ((Vector512.GreaterThan(x, y) & one) | (Vector512.Equals(x, y) & h)).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            var one = Vector256<T>.One;
            var h = Vector256.Create(half);
            var sa = aScalar ? Vector256.Create(a[0]) : default;
            var sb = bScalar ? Vector256.Create(b[0]) : default;
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var x = aScalar ? sa : Vector256.LoadUnsafe(ref pa, (nuint)i);
                var y = bScalar ? sb : Vector256.LoadUnsafe(ref pb, (nuint)i);
                ((Vector256.GreaterThan(x, y) & one) | (Vector256.Equals(x, y) & h)).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T x = aScalar ? a[0] : Unsafe.Add(ref pa, i), y = bScalar ? b[0] : Unsafe.Add(ref pb, i);
            Unsafe.Add(ref pd, i) = x > y ? T.One : x == y ? half : T.Zero;
        }
    }

    /// <summary>d[i] = c[i] ≠ 0 ? a[i] : b[i]; a and b may each be one broadcast element.</summary>
    public static void Select<T>(ReadOnlySpan<T> c, ReadOnlySpan<T> a, bool aScalar, ReadOnlySpan<T> b, bool bScalar, Span<T> d)
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
                var keepB = Vector512.Equals(Vector512.LoadUnsafe(ref pc, (nuint)i), Vector512<T>.Zero);
                var x = aScalar ? sa : Vector512.LoadUnsafe(ref pa, (nuint)i);
                var y = bScalar ? sb : Vector512.LoadUnsafe(ref pb, (nuint)i);
                Vector512.ConditionalSelect(keepB, y, x).StoreUnsafe(ref pd, (nuint)i);
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

    /// <summary>d[i] = sign(x[i]) ∈ {-1, 0, 1}; NaN gives 0, as in the interpreter.</summary>
    public static void Sign<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length, i = 0;
        ref T px = ref MemoryMarshal.GetReference(x), pd = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            var one = Vector512<T>.One;
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.LoadUnsafe(ref px, (nuint)i);
                ((Vector512.GreaterThan(v, Vector512<T>.Zero) & one) - (Vector512.LessThan(v, Vector512<T>.Zero) & one)).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            var one = Vector256<T>.One;
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref px, (nuint)i);
                ((Vector256.GreaterThan(v, Vector256<T>.Zero) & one) - (Vector256.LessThan(v, Vector256<T>.Zero) & one)).StoreUnsafe(ref pd, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref px, i);
            Unsafe.Add(ref pd, i) = v > T.Zero ? T.One : v < T.Zero ? -T.One : T.Zero;
        }
    }

    // Odd rational minimax fit of tanh on [-c, c] (the coefficients Eigen uses for float); beyond c, tanh rounds to ±1 in float.
    private const float TanhClamp = 7.90531110763549805f;
    private const float A1 = 4.89352455891786e-03f, A3 = 6.37261928875436e-04f, A5 = 1.48572235717979e-05f, A7 = 5.12229709037114e-08f,
        A9 = -8.60467152213735e-11f, A11 = 2.00018790482477e-13f, A13 = -2.76076847742355e-16f;
    private const float B0 = 4.89352518554385e-03f, B2 = 2.26843463243900e-03f, B4 = 1.18534705686654e-04f, B6 = 1.19825839466702e-06f;

    /// <summary>
    /// d[i] = tanh(x[i]). Float uses a rational approximation (a few ulp, about ten times faster than
    /// TensorPrimitives.Tanh, whose float path goes through exp); double stays with TensorPrimitives.
    /// </summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float))
        {
            System.Numerics.Tensors.TensorPrimitives.Tanh(x, d);
            return;
        }
        var xs = MemoryMarshal.Cast<T, float>(x);
        var ds = MemoryMarshal.Cast<T, float>(d);
        int n = ds.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(xs), pd = ref MemoryMarshal.GetReference(ds);
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16) TanhV(Vector512.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) TanhV(Vector256.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref pd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref pd, i) = TanhScalar(Unsafe.Add(ref px, i));
    }

    /// <summary>The scalar form of the float tanh approximation, used for remainders.</summary>
    public static float TanhScalar(float v)
    {
        if (float.IsNaN(v)) return v;
        float x = Math.Clamp(v, -TanhClamp, TanhClamp), x2 = x * x;
        float p = MathF.FusedMultiplyAdd(x2, A13, A11);
        p = MathF.FusedMultiplyAdd(x2, p, A9);
        p = MathF.FusedMultiplyAdd(x2, p, A7);
        p = MathF.FusedMultiplyAdd(x2, p, A5);
        p = MathF.FusedMultiplyAdd(x2, p, A3);
        p = MathF.FusedMultiplyAdd(x2, p, A1);
        float q = MathF.FusedMultiplyAdd(x2, B6, B4);
        q = MathF.FusedMultiplyAdd(x2, q, B2);
        q = MathF.FusedMultiplyAdd(x2, q, B0);
        return MathF.Abs(v) < 0.0004f ? v : MathF.Abs(v) >= 9f ? MathF.CopySign(1f, v) : x * p / q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> TanhV512(Vector512<float> v) => TanhV(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TanhV(Vector512<float> v)
    {
        var x = Vector512.Min(Vector512.Max(v, Vector512.Create(-TanhClamp)), Vector512.Create(TanhClamp));
        var x2 = x * x;
        var p = Vector512.FusedMultiplyAdd(x2, Vector512.Create(A13), Vector512.Create(A11));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A9));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A7));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A5));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A3));
        p = Vector512.FusedMultiplyAdd(x2, p, Vector512.Create(A1));
        var q = Vector512.FusedMultiplyAdd(x2, Vector512.Create(B6), Vector512.Create(B4));
        q = Vector512.FusedMultiplyAdd(x2, q, Vector512.Create(B2));
        q = Vector512.FusedMultiplyAdd(x2, q, Vector512.Create(B0));
        var r = x * p / q;
        // Tiny inputs return themselves (tanh x = x to float precision); NaN passes through the same way.
        var keep = Vector512.LessThan(Vector512.Abs(v), Vector512.Create(0.0004f)) | ~Vector512.Equals(v, v);
        // From 9 on, tanh rounds to ±1 in float; the fit stops a few ulps short of it.
        r = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Abs(v), Vector512.Create(9f)), Vector512.CopySign(Vector512<float>.One, v), r);
        return Vector512.ConditionalSelect(keep, v, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TanhV(Vector256<float> v)
    {
        var x = Vector256.Min(Vector256.Max(v, Vector256.Create(-TanhClamp)), Vector256.Create(TanhClamp));
        var x2 = x * x;
        var p = Vector256.FusedMultiplyAdd(x2, Vector256.Create(A13), Vector256.Create(A11));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A9));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A7));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A5));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A3));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(A1));
        var q = Vector256.FusedMultiplyAdd(x2, Vector256.Create(B6), Vector256.Create(B4));
        q = Vector256.FusedMultiplyAdd(x2, q, Vector256.Create(B2));
        q = Vector256.FusedMultiplyAdd(x2, q, Vector256.Create(B0));
        var r = x * p / q;
        var keep = Vector256.LessThan(Vector256.Abs(v), Vector256.Create(0.0004f)) | ~Vector256.Equals(v, v);
        r = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(Vector256.Abs(v), Vector256.Create(9f)), Vector256.CopySign(Vector256<float>.One, v), r);
        return Vector256.ConditionalSelect(keep, v, r);
    }
}
