using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// Products with a handful of output columns and long rows of A (C = A·op(B), n ≤ 16): each output is a dot
/// product of a row of A with a column of op(B), so the vector runs along k and every lane does useful work,
/// where a column-vector tile would leave most of its lanes empty. Four rows of A meet two columns at a time,
/// eight accumulators in registers.
/// </summary>
internal static unsafe class GemmDot
{
    /// <summary>Worth it when rows of A are contiguous and long enough to fill vectors, and C is narrow.</summary>
    public static bool Applies<T>(bool transA, int n, int k) where T : unmanaged =>
        Vector512.IsHardwareAccelerated && !transA && n <= 16 && k >= 4 * Vector512<T>.Count;

    /// <summary>C (+)= A·op(B) with op(B)'s columns given as the rows of <paramref name="bt"/> (row stride <paramref name="ldt"/>).</summary>
    public static void Multiply<T>(int m, int n, int k, T* a, int lda, T* bt, int ldt, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Four rows of A stay in L1 while the columns stream past them in pairs.
        for (int i = 0; i < m; i += 4)
        {
            int rows = Math.Min(4, m - i);
            T* a0 = a + (long)i * lda;
            T* a1 = rows > 1 ? a0 + lda : a0, a2 = rows > 2 ? a0 + 2L * lda : a0, a3 = rows > 3 ? a0 + 3L * lda : a0;
            for (int j = 0; j < n; j += 2)
                Tile(k, a0, a1, a2, a3, bt + (long)j * ldt, j + 1 < n ? bt + (long)(j + 1) * ldt : bt + (long)j * ldt,
                    c + (long)i * ldc + j, ldc, rows, Math.Min(2, n - j), add);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T>(int k, T* a0, T* a1, T* a2, T* a3, T* b0, T* b1, T* c, int ldc, int rows, int cols, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Missing rows and columns reread the first; their sums are never stored.
        int w = Vector512<T>.Count, p = 0;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        for (; p <= k - w; p += w)
        {
            var y0 = Vector512.Load(b0 + p);
            var y1 = Vector512.Load(b1 + p);
            var x = Vector512.Load(a0 + p);
            c00 = Fma(x, y0, c00); c01 = Fma(x, y1, c01);
            x = Vector512.Load(a1 + p);
            c10 = Fma(x, y0, c10); c11 = Fma(x, y1, c11);
            x = Vector512.Load(a2 + p);
            c20 = Fma(x, y0, c20); c21 = Fma(x, y1, c21);
            x = Vector512.Load(a3 + p);
            c30 = Fma(x, y0, c30); c31 = Fma(x, y1, c31);
        }
        T s00 = Vector512.Sum(c00), s01 = Vector512.Sum(c01), s10 = Vector512.Sum(c10), s11 = Vector512.Sum(c11);
        T s20 = Vector512.Sum(c20), s21 = Vector512.Sum(c21), s30 = Vector512.Sum(c30), s31 = Vector512.Sum(c31);
        for (; p < k; p++)
        {
            T y0 = b0[p], y1 = b1[p];
            s00 += a0[p] * y0; s01 += a0[p] * y1;
            s10 += a1[p] * y0; s11 += a1[p] * y1;
            s20 += a2[p] * y0; s21 += a2[p] * y1;
            s30 += a3[p] * y0; s31 += a3[p] * y1;
        }
        Put(c, cols, add, s00, s01);
        if (rows > 1) Put(c + ldc, cols, add, s10, s11);
        if (rows > 2) Put(c + 2L * ldc, cols, add, s20, s21);
        if (rows > 3) Put(c + 3L * ldc, cols, add, s30, s31);
    }

    private static void Put<T>(T* c, int cols, bool add, T v0, T v1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (add) { c[0] += v0; if (cols > 1) c[1] += v1; }
        else { c[0] = v0; if (cols > 1) c[1] = v1; }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}
