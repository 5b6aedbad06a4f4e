using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// C = op(A)·op(B) (+ C when accumulating) for row-major matrices, where op transposes without copying.
/// A is m×k (k×m when transposed) with row stride lda; B is k×n (n×k when transposed) with row stride ldb.
/// </summary>
/// <remarks>
/// Float and double go through a cache-blocked product (Goto/BLIS): a kc-deep slab of op(B) is packed into
/// column micro-panels, an mc-row block of op(A) into row micro-panels, and a register-tiled micro-kernel
/// (<see cref="GemmMicroKernel"/>) multiplies them. Packing is where transposes are absorbed, so all four
/// variants run the same inner loop. Large products split their row blocks over up to
/// <see cref="Settings.MaxThreads"/> threads; tiny ones skip packing altogether.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Depth of a packed slab: the packed A micro-panel (MR × KC) stays in L1 while B panels stream from L2.</summary>
    internal const int KC = 256;
    /// <summary>Rows of A packed at once; MC × KC elements sit in L2.</summary>
    internal const int MC = 128;
    /// <summary>Columns of B packed at once; KC × NC elements sit in L2/L3.</summary>
    internal const int NC = 1024;
    /// <summary>Below this many multiply-adds packing costs more than it saves.</summary>
    internal const long DirectLimit = 4096;
    /// <summary>From this many multiply-adds on, a product is split over threads (when allowed).</summary>
    internal static long ParallelThreshold = 1L << 22;

    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }
        if ((typeof(T) != typeof(float) && typeof(T) != typeof(double)) || (long)m * n * k <= DirectLimit)
        {
            Direct(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
            Blocked(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
    }

    /// <summary>The textbook loops in an order that reads op(B) rows contiguously; for products too small to pack.</summary>
    private static void Direct<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var ci = c.Slice(i * ldc, n);
            if (!transB)
            {
                if (!accumulate) ci.Clear();
                for (int p = 0; p < k; p++)
                {
                    T aip = transA ? a[p * lda + i] : a[i * lda + p];
                    var bp = b.Slice(p * ldb, n);
                    for (int j = 0; j < n; j++) ci[j] += aip * bp[j];
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    var bj = b.Slice(j * ldb, k);
                    T s = T.Zero;
                    if (transA) for (int p = 0; p < k; p++) s += a[p * lda + i] * bj[p];
                    else
                    {
                        var ai = a.Slice(i * lda, k);
                        for (int p = 0; p < k; p++) s += ai[p] * bj[p];
                    }
                    ci[j] = accumulate ? ci[j] + s : s;
                }
            }
        }
    }

    /// <summary>Columns of C per micro-tile for the vector width this machine runs.</summary>
    internal static int NR<T>() where T : unmanaged =>
        Vector512.IsHardwareAccelerated ? 2 * Vector512<T>.Count :
        Vector256.IsHardwareAccelerated ? 2 * Vector256<T>.Count : 8;

    private static void Blocked<T>(bool transA, bool transB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmMicroKernel.MR, nr = NR<T>();
        int threads = Threads(m, n, k);
        int mc = MC;
        if (threads > 1)
        {
            // Enough row blocks that every thread gets one, but never thinner than a micro-panel.
            int per = (m + threads - 1) / threads;
            mc = Math.Min(MC, Math.Max(mr, (per + mr - 1) / mr * mr));
        }
        int ncMax = Math.Min(NC, RoundUp(n, nr));
        int kcMax = Math.Min(KC, k);
        T* bp = Buffers<T>.B(RoundUp(ncMax, nr) * kcMax);
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                bool add = accumulate || pc > 0;
                GemmPacking.PackB(transB, b, ldb, jc, nc, pc, kc, nr, bp);
                int blocks = (m + mc - 1) / mc;
                if (threads <= 1 || blocks == 1)
                {
                    T* ap = Buffers<T>.A(RoundUp(Math.Min(mc, m), mr) * kc);
                    for (int ic = 0; ic < m; ic += mc)
                        Block(transA, a, lda, ic, Math.Min(mc, m - ic), pc, kc, ap, bp, nc, nr, c + jc, ldc, add);
                }
                else
                {
                    // Pointers, not spans, cross into the workers: the caller keeps everything pinned until they finish.
                    nint pa = (nint)a, pbp = (nint)bp, pcc = (nint)(c + jc);
                    int mcl = mc, pcl = pc;
                    Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, blk =>
                    {
                        int ic = blk * mcl;
                        int rows = Math.Min(mcl, m - ic);
                        T* ap = Buffers<T>.A(RoundUp(rows, mr) * kc);
                        Block(transA, (T*)pa, lda, ic, rows, pcl, kc, ap, (T*)pbp, nc, nr, (T*)pcc, ldc, add);
                    });
                }
            }
        }
    }

    /// <summary>Packs one row block of op(A) and runs the micro-kernel over every tile it covers.</summary>
    private static void Block<T>(bool transA, T* a, int lda, int ic, int mc, int pc, int kc,
        T* ap, T* bp, int nc, int nr, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmMicroKernel.MR;
        GemmPacking.PackA(transA, a, lda, ic, mc, pc, kc, mr, ap);
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* bpanel = bp + (long)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* cc = c + (long)(ic + ir) * ldc + jr;
                T* apanel = ap + (long)ir * kc;
                if (Vector512.IsHardwareAccelerated)
                {
                    if (cols <= Vector512<T>.Count) GemmMicroKernel.Vector512x1(kc, apanel, bpanel, nr, cc, ldc, rows, cols, add);
                    else GemmMicroKernel.Vector512x2(kc, apanel, bpanel, nr, cc, ldc, rows, cols, add);
                }
                else if (Vector256.IsHardwareAccelerated)
                {
                    if (cols <= Vector256<T>.Count) GemmMicroKernel.Vector256x1(kc, apanel, bpanel, nr, cc, ldc, rows, cols, add);
                    else GemmMicroKernel.Vector256x2(kc, apanel, bpanel, nr, cc, ldc, rows, cols, add);
                }
                else GemmMicroKernel.Scalar(kc, apanel, bpanel, nr, cc, ldc, rows, cols, add);
            }
        }
    }

    /// <summary>How many threads a product of this size should use: one unless it is big enough to repay the hand-off.</summary>
    internal static int Threads(int m, int n, int k)
    {
        int max = Settings.MaxThreads;
        if (max <= 1 || (long)m * n * k < ParallelThreshold) return 1;
        return Math.Min(max, Math.Max(1, m / GemmMicroKernel.MR));
    }

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>Per-thread packing buffers, pinned so the kernels can hold raw pointers; they only grow.</summary>
    private static class Buffers<T> where T : unmanaged
    {
        [ThreadStatic] private static T[]? _a;
        [ThreadStatic] private static T[]? _b;

        public static T* A(int size) => Get(ref _a, size);
        public static T* B(int size) => Get(ref _b, size);

        private static T* Get(ref T[]? buffer, int size)
        {
            // Vector loads from packed panels stay in bounds: over-allocate by one vector of slack.
            size += 64;
            if (buffer is null || buffer.Length < size) buffer = GC.AllocateUninitializedArray<T>(size, pinned: true);
            return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        }
    }
}
