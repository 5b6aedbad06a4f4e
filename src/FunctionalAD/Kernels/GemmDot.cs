using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FunctionalAD;

/// <summary>
/// Products with a handful of output columns and long rows of A (C = A·op(B), n ≤ 16), such as the forward
/// pass of a 10-class output layer: C[i, j] = Σ_p A[i, p]·op(B)[p, j] is a dot product along k, so the vectors
/// run along k and every lane does useful work, where a column-vector tile would leave most lanes empty.
/// A tile holds four rows of A against up to five columns of op(B) (twenty Vector512 accumulators; two columns
/// with Vector256, whose machines have half the registers): each row of A is loaded once per column group and
/// the columns (n·k elements) stay in L1.
/// </summary>
internal static unsafe class GemmDot
{
    /// <summary>Worth it when rows of A are contiguous and long enough to fill vectors, and C is narrow.</summary>
    public static bool Applies<T>(bool transA, int n, int k) where T : unmanaged =>
        !transA && n <= 16 && (Vector512.IsHardwareAccelerated ? k >= 4 * Vector512<T>.Count
            : Vector256.IsHardwareAccelerated && k >= 4 * Vector256<T>.Count);

    /// <summary>
    /// Copies op(B) (k×n; B is n×k when <paramref name="transB"/>) into <paramref name="dst"/> (n·k elements, on a cache
    /// line) in the order <see cref="Multiply{T}"/> reads it. With Vector512: chunks of w = Vector512 lanes of k, each
    /// holding the n columns one after another (column j of chunk c at c·n·w + j·w), then the last k mod w values
    /// column by column; so one pointer and constant offsets reach every load, and every load is aligned. With
    /// Vector256: op(B)'s columns as rows of k.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Pack<T>(bool transB, T* b, int ldb, int n, int k, T* dst) where T : unmanaged
    {
        int w = Vector512.IsHardwareAccelerated ? Vector512<T>.Count : k;
        int kv = k - k % w, tl = k - kv;
        if (transB)
        {
            for (int j = 0; j < n; j++)
            {
                T* src = b + (long)j * ldb;
                for (int p = 0; p < kv; p += w) Unsafe.CopyBlockUnaligned(dst + (long)p * n + j * w, src + p, (uint)(w * sizeof(T)));
                if (tl > 0) Unsafe.CopyBlockUnaligned(dst + (long)kv * n + j * tl, src + kv, (uint)(tl * sizeof(T)));
            }
            return;
        }
        // Chunk by chunk, so no index is divided by the width.
        int j8 = typeof(T) == typeof(float) && Avx.IsSupported && w % 8 == 0 ? n & ~7 : 0;
        float** r = stackalloc float*[8];
        for (int p0 = 0; p0 < kv; p0 += w)
        {
            T* chunk = dst + (long)p0 * n;
            // 8×8 blocks through registers: eight rows of B, eight columns, into eight runs of the chunk.
            for (int q = 0; q < w && j8 > 0; q += 8)
            {
                for (int i = 0; i < 8; i++) r[i] = (float*)(b + (long)(p0 + q + i) * ldb);
                for (int j = 0; j < j8; j += 8) GemmPacking.Transpose8x8(r, j, (float*)chunk + j * w + q, w);
            }
            for (int q = 0; q < w; q++)
            {
                T* src = b + (long)(p0 + q) * ldb;
                for (int j = j8; j < n; j++) chunk[j * w + q] = src[j];
            }
        }
        for (int p = kv; p < k; p++)
        {
            T* src = b + (long)p * ldb, d = dst + (long)kv * n + (p - kv);
            for (int j = 0; j < n; j++) d[j * tl] = src[j];
        }
    }

    /// <summary>C[i0..i1) (+)= A·op(B) with op(B) as <see cref="Pack{T}"/> left it in <paramref name="packed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(int i0, int i1, int n, int k, T* a, int lda, T* packed, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated) Pairs<T, V512<T>, Vector512<T>>(i0, i1, n, k, a, lda, packed, c, ldc, add);
        else Rows<T, V256<T>, Vector256<T>>(i0, i1, n, k, a, lda, packed, k, c, ldc, add, 2);
    }

    // Per-call dispatch around the kernels: optimised from the first call, since a one-CPU process may leave it at tier 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pairs<T, V, TV>(int i0, int i1, int n, int k, T* a, int lda, T* packed, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T> where V : ISimd<T, TV> where TV : struct
    {
        int groups = (n + 9) / 10;
        int w = V.Count, kv = k - k % w, tl = k - kv;
        for (int i = i0; i < i1; i += 2)
        {
            int rows = Math.Min(2, i1 - i);
            T* a0 = a + (long)i * lda, a1 = rows > 1 ? a0 + lda : a0;
            for (int g = 0, j = 0; g < groups; g++)
            {
                int cols = (n - j) / (groups - g);
                T* b = packed + j * w, bt = packed + (long)kv * n + j * tl;
                T* cc = c + (long)i * ldc + j;
                switch (cols)
                {
                    case 1: Wide<T, V, TV, C1>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                    case 2: Wide<T, V, TV, C2>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                    case 3: Wide<T, V, TV, C3>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                    case 4: Wide<T, V, TV, C4>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                    case 5: Wide<T, V, TV, C5>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                    case 6: Wide<T, V, TV, C6>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                    case 7: Wide<T, V, TV, C7>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                    case 8: Wide<T, V, TV, C8>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                    case 9: Wide<T, V, TV, C9>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                    default: Wide<T, V, TV, C10>(k, n * w, a0, a1, b, bt, cc, ldc, rows, add); break;
                }
                j += cols;
            }
        }
    }

    // Per-call dispatch around the kernels: optimised from the first call, since a one-CPU process may leave it at tier 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<T, V, TV>(int i0, int i1, int n, int k, T* a, int lda, T* bt, int ldt, T* c, int ldc, bool add, int widest)
        where T : unmanaged, IFloatingPointIeee754<T> where V : ISimd<T, TV> where TV : struct
    {
        // Column groups as equal as the widest tile allows: n = 10 is two groups of five, n = 16 four of four.
        int groups = (n + widest - 1) / widest;
        for (int i = i0; i < i1; i += 4)
        {
            int rows = Math.Min(4, i1 - i);
            T* a0 = a + (long)i * lda;
            T* a1 = rows > 1 ? a0 + lda : a0, a2 = rows > 2 ? a0 + 2L * lda : a0, a3 = rows > 3 ? a0 + 3L * lda : a0;
            for (int g = 0, j = 0; g < groups; g++)
            {
                int cols = (n - j) / (groups - g);
                T* b = bt + (long)j * ldt;
                T* cc = c + (long)i * ldc + j;
                switch (cols)
                {
                    case 1: Tile<T, V, TV, C1>(k, a0, a1, a2, a3, b, ldt, cc, ldc, rows, add); break;
                    case 2: Tile<T, V, TV, C2>(k, a0, a1, a2, a3, b, ldt, cc, ldc, rows, add); break;
                    case 3: Tile<T, V, TV, C3>(k, a0, a1, a2, a3, b, ldt, cc, ldc, rows, add); break;
                    case 4: Tile<T, V, TV, C4>(k, a0, a1, a2, a3, b, ldt, cc, ldc, rows, add); break;
                    default: Tile<T, V, TV, C5>(k, a0, a1, a2, a3, b, ldt, cc, ldc, rows, add); break;
                }
                j += cols;
            }
        }
    }

    /// <summary>C[2 rows, TC ≤ 10 columns] (+)= the dot products of two rows of A with TC columns of op(B): each row of A is read once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Wide<T, V, TV, TC>(int k, int chunk, T* a0, T* a1, T* b, T* bt, T* c, int ldc, int rows, bool add)
        where T : unmanaged, IFloatingPointIeee754<T> where V : ISimd<T, TV> where TV : struct where TC : struct, IConst
    {
        TV c0_0 = default, c0_1 = default, c0_2 = default, c0_3 = default, c0_4 = default, c0_5 = default, c0_6 = default, c0_7 = default, c0_8 = default, c0_9 = default, c1_0 = default, c1_1 = default, c1_2 = default, c1_3 = default, c1_4 = default, c1_5 = default, c1_6 = default, c1_7 = default, c1_8 = default, c1_9 = default;
        int w = V.Count, p = 0;
        for (T* bq = b; p <= k - w; p += w, bq += chunk)
        {
            TV x0 = V.Load(a0 + p), x1 = V.Load(a1 + p);
            { var y = V.Load(bq + 0 * w); c0_0 = V.Fma(x0, y, c0_0); c1_0 = V.Fma(x1, y, c1_0); }
            if (TC.Value > 1) { var y = V.Load(bq + 1 * w); c0_1 = V.Fma(x0, y, c0_1); c1_1 = V.Fma(x1, y, c1_1); }
            if (TC.Value > 2) { var y = V.Load(bq + 2 * w); c0_2 = V.Fma(x0, y, c0_2); c1_2 = V.Fma(x1, y, c1_2); }
            if (TC.Value > 3) { var y = V.Load(bq + 3 * w); c0_3 = V.Fma(x0, y, c0_3); c1_3 = V.Fma(x1, y, c1_3); }
            if (TC.Value > 4) { var y = V.Load(bq + 4 * w); c0_4 = V.Fma(x0, y, c0_4); c1_4 = V.Fma(x1, y, c1_4); }
            if (TC.Value > 5) { var y = V.Load(bq + 5 * w); c0_5 = V.Fma(x0, y, c0_5); c1_5 = V.Fma(x1, y, c1_5); }
            if (TC.Value > 6) { var y = V.Load(bq + 6 * w); c0_6 = V.Fma(x0, y, c0_6); c1_6 = V.Fma(x1, y, c1_6); }
            if (TC.Value > 7) { var y = V.Load(bq + 7 * w); c0_7 = V.Fma(x0, y, c0_7); c1_7 = V.Fma(x1, y, c1_7); }
            if (TC.Value > 8) { var y = V.Load(bq + 8 * w); c0_8 = V.Fma(x0, y, c0_8); c1_8 = V.Fma(x1, y, c1_8); }
            if (TC.Value > 9) { var y = V.Load(bq + 9 * w); c0_9 = V.Fma(x0, y, c0_9); c1_9 = V.Fma(x1, y, c1_9); }
        }
        T* s = stackalloc T[24];
        V.Sum4(c0_0, c1_0, c0_1, c1_1, s + 0, 1);
        if (TC.Value > 2) V.Sum4(c0_2, c1_2, c0_3, c1_3, s + 4, 1);
        if (TC.Value > 4) V.Sum4(c0_4, c1_4, c0_5, c1_5, s + 8, 1);
        if (TC.Value > 6) V.Sum4(c0_6, c1_6, c0_7, c1_7, s + 12, 1);
        if (TC.Value > 8) V.Sum4(c0_8, c1_8, c0_9, c1_9, s + 16, 1);

        for (int r = 0; r < rows; r++)
        {
            T* dst = c + (long)r * ldc;
            T* ar = r == 0 ? a0 : a1;
            for (int j = 0; j < TC.Value; j++)
            {
                T v = s[2 * j + r];
                T* bj = bt + (long)j * (k - p) - p;
                for (int q = p; q < k; q++) v += ar[q] * bj[q];
                dst[j] = add ? dst[j] + v : v;
            }
        }
    }

    /// <summary>C[4 rows, TC columns] (+)= the dot products of four rows of A with TC columns of op(B); missing rows reread the first and are not stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T, V, TV, TC>(int k, T* a0, T* a1, T* a2, T* a3, T* b, int ldt, T* c, int ldc, int rows, bool add)
        where T : unmanaged, IFloatingPointIeee754<T> where V : ISimd<T, TV> where TV : struct where TC : struct, IConst
    {
        T* b0 = b, b1 = b + (TC.Value > 1 ? ldt : 0), b2 = b + (TC.Value > 2 ? 2L * ldt : 0);
        T* b3 = b + (TC.Value > 3 ? 3L * ldt : 0), b4 = b + (TC.Value > 4 ? 4L * ldt : 0);
        TV c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c20 = default, c21 = default, c22 = default, c23 = default, c24 = default, c30 = default, c31 = default, c32 = default, c33 = default, c34 = default;
        int w = V.Count, p = 0;
        for (; p <= k - w; p += w)
        {
            TV y0 = V.Load(b0 + p);
            TV y1 = TC.Value > 1 ? V.Load(b1 + p) : default;
            TV y2 = TC.Value > 2 ? V.Load(b2 + p) : default;
            TV y3 = TC.Value > 3 ? V.Load(b3 + p) : default;
            TV y4 = TC.Value > 4 ? V.Load(b4 + p) : default;
            var x = V.Load(a0 + p);
            c00 = V.Fma(x, y0, c00);
            if (TC.Value > 1) c01 = V.Fma(x, y1, c01);
            if (TC.Value > 2) c02 = V.Fma(x, y2, c02);
            if (TC.Value > 3) c03 = V.Fma(x, y3, c03);
            if (TC.Value > 4) c04 = V.Fma(x, y4, c04);
            x = V.Load(a1 + p);
            c10 = V.Fma(x, y0, c10);
            if (TC.Value > 1) c11 = V.Fma(x, y1, c11);
            if (TC.Value > 2) c12 = V.Fma(x, y2, c12);
            if (TC.Value > 3) c13 = V.Fma(x, y3, c13);
            if (TC.Value > 4) c14 = V.Fma(x, y4, c14);
            x = V.Load(a2 + p);
            c20 = V.Fma(x, y0, c20);
            if (TC.Value > 1) c21 = V.Fma(x, y1, c21);
            if (TC.Value > 2) c22 = V.Fma(x, y2, c22);
            if (TC.Value > 3) c23 = V.Fma(x, y3, c23);
            if (TC.Value > 4) c24 = V.Fma(x, y4, c24);
            x = V.Load(a3 + p);
            c30 = V.Fma(x, y0, c30);
            if (TC.Value > 1) c31 = V.Fma(x, y1, c31);
            if (TC.Value > 2) c32 = V.Fma(x, y2, c32);
            if (TC.Value > 3) c33 = V.Fma(x, y3, c33);
            if (TC.Value > 4) c34 = V.Fma(x, y4, c34);
        }
        T* s = stackalloc T[20];
        V.Sum4(c00, c10, c20, c30, s, 5);
        if (TC.Value > 1) V.Sum4(c01, c11, c21, c31, s + 1, 5);
        if (TC.Value > 2) V.Sum4(c02, c12, c22, c32, s + 2, 5);
        if (TC.Value > 3) V.Sum4(c03, c13, c23, c33, s + 3, 5);
        if (TC.Value > 4) V.Sum4(c04, c14, c24, c34, s + 4, 5);
        T** ar = stackalloc T*[4] { a0, a1, a2, a3 };
        T** br = stackalloc T*[5] { b0, b1, b2, b3, b4 };
        for (int r = 0; r < rows; r++)
        {
            T* dst = c + (long)r * ldc;
            for (int j = 0; j < TC.Value; j++)
            {
                T v = s[r * 5 + j];
                for (int q = p; q < k; q++) v += ar[r][q] * br[j][q];
                dst[j] = add ? dst[j] + v : v;
            }
        }
    }
}
