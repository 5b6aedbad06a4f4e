using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// Products C = Aᵀ·op(B) with a handful of output columns (n ≤ 16), such as the weight gradient xᵀ·g of a
/// 10-class output layer, computed as Cᵀ = op(B)ᵀ·A so the vectors run along m, the contiguous rows of the
/// stored A: Cᵀ[j, i..i+v) = Σ_p op(B)[p, j]·A[p, i..i+v). A block keeps two vectors of C's rows by up to ten
/// columns in twenty Vector512 accumulators (one vector with Vector256), streams the rows of A once, broadcasts
/// op(B)'s row p (in L1) and is written into C through a small transposing tile. Every lane does useful work
/// whatever n is, where a row tile of C would fill 10 of 16 lanes.
/// </summary>
internal static unsafe class GemmOuter
{
    /// <summary>Worth it for a transposed A whose rows fill at least one block and a narrow C.</summary>
    public static bool Applies<T>(bool transA, int m, int n) where T : unmanaged =>
        transA && n <= 16 && (Vector512.IsHardwareAccelerated ? m >= 2 * Vector512<T>.Count
            : Vector256.IsHardwareAccelerated && m >= Vector256<T>.Count);

    /// <summary>
    /// Rows [i0, i1) of C (+)= Aᵀ·op(B), A stored k×m (row stride <paramref name="lda"/>), op(B)[p, j] at
    /// g[p·ldg + j]; <paramref name="m"/> is all of C's rows, so the last block may start before i1 and overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(int m, int i0, int i1, int n, int k, T* a, int lda, T* g, int ldg, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated) Rows<T, V512<T>, Vector512<T>>(m, i0, i1, n, k, a, lda, g, ldg, c, ldc, add, 2);
        else Rows<T, V256<T>, Vector256<T>>(m, i0, i1, n, k, a, lda, g, ldg, c, ldc, add, 1);
    }

    // Per-call dispatch around the kernels: optimised from the first call, since a one-CPU process may leave it at tier 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<T, V, TV>(int m, int i0, int i1, int n, int k, T* a, int lda, T* g, int ldg, T* c, int ldc, bool add, int vectors)
        where T : unmanaged, IFloatingPointIeee754<T> where V : ISimd<T, TV> where TV : struct
    {
        int w = V.Count, block = vectors * w;
        int groups = (n + 9) / 10;
        T* tile = stackalloc T[block * 10];
        // When every row of A has the same alignment, a first one-vector block takes the rows up to a cache-line
        // boundary, so the loads of all later blocks never straddle two lines.
        int line = 64 / sizeof(T);
        int skew = (int)((nuint)(a + i0) % 64) / sizeof(T);
        int stop = (nuint)a % (nuint)sizeof(T) == 0 && lda % line == 0 && skew != 0 ? Math.Min(i1, i0 + (line - skew) % line) : i0;
        for (int i = i0; i < i1;)
        {
            // A block needs whole vectors: a short last one moves back (Applies guarantees m ≥ one block) and
            // recomputes rows already written without storing them again; one vector suffices for ≤ w rows.
            int wide = i >= stop && vectors == 2 && i1 - i > w ? 2 : 1;
            int span = wide * w;
            int start = Math.Min(i, m - span);
            int end = Math.Min(start + span, i < stop ? stop : i1);
            for (int gi = 0, j = 0; gi < groups; gi++)
            {
                int cols = (n - j) / (groups - gi);
                Dispatch<T, V, TV>(wide, cols, k, a + start, lda, g + j, ldg, tile);
                for (int r = i; r < end; r++)
                {
                    T* dst = c + (long)r * ldc + j;
                    T* src = tile + (r - start);
                    if (add) for (int q = 0; q < cols; q++) dst[q] += src[q * span];
                    else for (int q = 0; q < cols; q++) dst[q] = src[q * span];
                }
                j += cols;
            }
            i = end;
        }
    }

    // Per-call dispatch around the kernels: optimised from the first call, since a one-CPU process may leave it at tier 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dispatch<T, V, TV>(int wide, int cols, int k, T* a, int lda, T* g, int ldg, T* tile)
        where T : unmanaged, IFloatingPointIeee754<T> where V : ISimd<T, TV> where TV : struct
    {
        if (wide == 2)
            switch (cols)
            {
                case 1: Block<T, V, TV, C1, C2>(k, a, lda, g, ldg, tile); break;
                case 2: Block<T, V, TV, C2, C2>(k, a, lda, g, ldg, tile); break;
                case 3: Block<T, V, TV, C3, C2>(k, a, lda, g, ldg, tile); break;
                case 4: Block<T, V, TV, C4, C2>(k, a, lda, g, ldg, tile); break;
                case 5: Block<T, V, TV, C5, C2>(k, a, lda, g, ldg, tile); break;
                case 6: Block<T, V, TV, C6, C2>(k, a, lda, g, ldg, tile); break;
                case 7: Block<T, V, TV, C7, C2>(k, a, lda, g, ldg, tile); break;
                case 8: Block<T, V, TV, C8, C2>(k, a, lda, g, ldg, tile); break;
                case 9: Block<T, V, TV, C9, C2>(k, a, lda, g, ldg, tile); break;
                default: Block<T, V, TV, C10, C2>(k, a, lda, g, ldg, tile); break;
            }
        else
            switch (cols)
            {
                case 1: Block<T, V, TV, C1, C1>(k, a, lda, g, ldg, tile); break;
                case 2: Block<T, V, TV, C2, C1>(k, a, lda, g, ldg, tile); break;
                case 3: Block<T, V, TV, C3, C1>(k, a, lda, g, ldg, tile); break;
                case 4: Block<T, V, TV, C4, C1>(k, a, lda, g, ldg, tile); break;
                case 5: Block<T, V, TV, C5, C1>(k, a, lda, g, ldg, tile); break;
                case 6: Block<T, V, TV, C6, C1>(k, a, lda, g, ldg, tile); break;
                case 7: Block<T, V, TV, C7, C1>(k, a, lda, g, ldg, tile); break;
                case 8: Block<T, V, TV, C8, C1>(k, a, lda, g, ldg, tile); break;
                case 9: Block<T, V, TV, C9, C1>(k, a, lda, g, ldg, tile); break;
                default: Block<T, V, TV, C10, C1>(k, a, lda, g, ldg, tile); break;
            }
    }

    /// <summary>tile[j·TW·v + l] = Σ_p g[p·ldg + j]·a[p·lda + l] for TJ columns j and TW vectors of lanes l.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<T, V, TV, TJ, TW>(int k, T* a, int lda, T* g, int ldg, T* tile)
        where T : unmanaged where V : ISimd<T, TV> where TV : struct where TJ : struct, IConst where TW : struct, IConst
    {
        TV c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default, c90 = default, c91 = default;
        int w = V.Count;
        for (int p = 0; p < k; p++)
        {
            T* ap = a + (long)p * lda;
            T* gp = g + (long)p * ldg;
            TV x0 = V.Load(ap);
            TV x1 = TW.Value > 1 ? V.Load(ap + w) : default;
            { var s = V.Broadcast(gp + 0); c00 = V.Fma(s, x0, c00); if (TW.Value > 1) c01 = V.Fma(s, x1, c01); }
            if (TJ.Value > 1) { var s = V.Broadcast(gp + 1); c10 = V.Fma(s, x0, c10); if (TW.Value > 1) c11 = V.Fma(s, x1, c11); }
            if (TJ.Value > 2) { var s = V.Broadcast(gp + 2); c20 = V.Fma(s, x0, c20); if (TW.Value > 1) c21 = V.Fma(s, x1, c21); }
            if (TJ.Value > 3) { var s = V.Broadcast(gp + 3); c30 = V.Fma(s, x0, c30); if (TW.Value > 1) c31 = V.Fma(s, x1, c31); }
            if (TJ.Value > 4) { var s = V.Broadcast(gp + 4); c40 = V.Fma(s, x0, c40); if (TW.Value > 1) c41 = V.Fma(s, x1, c41); }
            if (TJ.Value > 5) { var s = V.Broadcast(gp + 5); c50 = V.Fma(s, x0, c50); if (TW.Value > 1) c51 = V.Fma(s, x1, c51); }
            if (TJ.Value > 6) { var s = V.Broadcast(gp + 6); c60 = V.Fma(s, x0, c60); if (TW.Value > 1) c61 = V.Fma(s, x1, c61); }
            if (TJ.Value > 7) { var s = V.Broadcast(gp + 7); c70 = V.Fma(s, x0, c70); if (TW.Value > 1) c71 = V.Fma(s, x1, c71); }
            if (TJ.Value > 8) { var s = V.Broadcast(gp + 8); c80 = V.Fma(s, x0, c80); if (TW.Value > 1) c81 = V.Fma(s, x1, c81); }
            if (TJ.Value > 9) { var s = V.Broadcast(gp + 9); c90 = V.Fma(s, x0, c90); if (TW.Value > 1) c91 = V.Fma(s, x1, c91); }
        }
        int stride = TW.Value * w;
        { V.Store(c00, tile + 0 * stride); if (TW.Value > 1) V.Store(c01, tile + 0 * stride + w); }
        if (TJ.Value > 1) { V.Store(c10, tile + 1 * stride); if (TW.Value > 1) V.Store(c11, tile + 1 * stride + w); }
        if (TJ.Value > 2) { V.Store(c20, tile + 2 * stride); if (TW.Value > 1) V.Store(c21, tile + 2 * stride + w); }
        if (TJ.Value > 3) { V.Store(c30, tile + 3 * stride); if (TW.Value > 1) V.Store(c31, tile + 3 * stride + w); }
        if (TJ.Value > 4) { V.Store(c40, tile + 4 * stride); if (TW.Value > 1) V.Store(c41, tile + 4 * stride + w); }
        if (TJ.Value > 5) { V.Store(c50, tile + 5 * stride); if (TW.Value > 1) V.Store(c51, tile + 5 * stride + w); }
        if (TJ.Value > 6) { V.Store(c60, tile + 6 * stride); if (TW.Value > 1) V.Store(c61, tile + 6 * stride + w); }
        if (TJ.Value > 7) { V.Store(c70, tile + 7 * stride); if (TW.Value > 1) V.Store(c71, tile + 7 * stride + w); }
        if (TJ.Value > 8) { V.Store(c80, tile + 8 * stride); if (TW.Value > 1) V.Store(c81, tile + 8 * stride + w); }
        if (TJ.Value > 9) { V.Store(c90, tile + 9 * stride); if (TW.Value > 1) V.Store(c91, tile + 9 * stride + w); }

    }
}
