using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FunctionalAD;

/// <summary>
/// Copies blocks of op(A) and op(B) into the order the micro-kernel reads them, which is also where the
/// transposes disappear: a packed panel looks the same whichever way its source was stored.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows i0..i0+mc of op(A) over p0..p0+kc as micro-panels of <paramref name="mr"/> rows, each stored
    /// p-major (mr values per p), rows past m padded with zeros so the kernel never branches on edges.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(bool transA, T* a, int lda, int i0, int mc, int p0, int kc, int mr, T* dst)
        where T : unmanaged
    {
        T** src = stackalloc T*[mr];
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            T* panel = dst + (long)ir * kc;
            if (transA)
            {
                // op(A) row i is column i of A: the mr values for one p are contiguous in the source.
                if (rows == 8 && mr == 8 && typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
                {
                    for (int p = 0; p < kc; p++)
                        Vector256.Store(Vector256.Load((float*)(a + (long)(p0 + p) * lda + i0 + ir)), (float*)(panel + (long)p * 8));
                    continue;
                }
                for (int p = 0; p < kc; p++)
                {
                    T* row = a + (long)(p0 + p) * lda + i0 + ir;
                    T* d = panel + (long)p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = row[r];
                    for (; r < mr; r++) d[r] = default;
                }
            }
            else
            {
                // As in PackB: p outermost, so the panel is written contiguously from mr sequential row streams.
                for (int r = 0; r < rows; r++) src[r] = a + (long)(i0 + ir + r) * lda + p0;
                int q = 0;
                if (rows == 8 && mr == 8 && typeof(T) == typeof(float) && Avx.IsSupported)
                    for (; q + 8 <= kc; q += 8) Transpose8x8((float**)src, q, (float*)(panel + (long)q * 8), 8);
                for (int p = q; p < kc; p++)
                {
                    T* d = panel + (long)p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = src[r][p];
                    for (; r < mr; r++) d[r] = default;
                }
            }
        }
    }

    /// <summary>dst[p·stride + r] = src[r][q + p] for an 8×8 block: the classic unpack / shuffle / lane-swap transpose, 24 shuffles for 64 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(float** src, int q, float* dst, int stride)
    {
        Vector256<float> r0 = Vector256.Load(src[0] + q), r1 = Vector256.Load(src[1] + q), r2 = Vector256.Load(src[2] + q), r3 = Vector256.Load(src[3] + q);
        Vector256<float> r4 = Vector256.Load(src[4] + q), r5 = Vector256.Load(src[5] + q), r6 = Vector256.Load(src[6] + q), r7 = Vector256.Load(src[7] + q);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).Store(dst);
        Avx.Permute2x128(u1, u5, 0x20).Store(dst + 1 * stride);
        Avx.Permute2x128(u2, u6, 0x20).Store(dst + 2 * stride);
        Avx.Permute2x128(u3, u7, 0x20).Store(dst + 3 * stride);
        Avx.Permute2x128(u0, u4, 0x31).Store(dst + 4 * stride);
        Avx.Permute2x128(u1, u5, 0x31).Store(dst + 5 * stride);
        Avx.Permute2x128(u2, u6, 0x31).Store(dst + 6 * stride);
        Avx.Permute2x128(u3, u7, 0x31).Store(dst + 7 * stride);
    }

    /// <summary>
    /// Packs columns j0..j0+nc of op(B) over p0..p0+kc as micro-panels of <paramref name="nr"/> columns, each stored
    /// p-major (nr values per p), columns past n padded with zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(bool transB, T* b, int ldb, int j0, int nc, int p0, int kc, int nr, T* dst)
        where T : unmanaged
    {
        T** rows = stackalloc T*[nr];
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* panel = dst + (long)jr * kc;
            if (!transB)
            {
                for (int p = 0; p < kc; p++)
                {
                    T* src = b + (long)(p0 + p) * ldb + j0 + jr;
                    T* d = panel + (long)p * nr;
                    if (cols == nr) Unsafe.CopyBlockUnaligned(d, src, (uint)(nr * sizeof(T)));
                    else
                    {
                        int c = 0;
                        for (; c < cols; c++) d[c] = src[c];
                        for (; c < nr; c++) d[c] = default;
                    }
                }
            }
            else
            {
                // op(B) column j is row j of B. Walking p outermost writes the panel contiguously and reads the
                // nr source rows as parallel sequential streams, which the prefetchers follow.
                for (int c = 0; c < cols; c++) rows[c] = b + (long)(j0 + jr + c) * ldb + p0;
                for (int p = 0; p < kc; p++)
                {
                    T* d = panel + (long)p * nr;
                    int c = 0;
                    for (; c < cols; c++) d[c] = rows[c][p];
                    for (; c < nr; c++) d[c] = default;
                }
            }
        }
    }
}
