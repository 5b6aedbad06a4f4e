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
}
