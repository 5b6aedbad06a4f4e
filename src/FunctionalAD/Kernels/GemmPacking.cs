using System.Runtime.CompilerServices;

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
                for (int p = 0; p < kc; p++)
                {
                    T* d = panel + (long)p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = src[r][p];
                    for (; r < mr; r++) d[r] = default;
                }
            }
        }
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
