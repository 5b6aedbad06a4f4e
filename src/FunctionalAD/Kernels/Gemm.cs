using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FunctionalAD;

/// <summary>
/// C = op(A)·op(B) (+ C when accumulating) for row-major matrices, where op transposes without copying.
/// A is m×k (k×m when transposed) with row stride lda; B is k×n (n×k when transposed) with row stride ldb.
/// </summary>
/// <remarks>
/// Float and double go through a cache-blocked product (Goto/BLIS): a kc-deep slab of op(B) is packed into
/// column micro-panels, an mc-row block of op(A) into row micro-panels, and a register-tiled micro-kernel
/// (<see cref="GemmMicroKernel"/>) multiplies them. Packing is where transposes are absorbed, so all four
/// variants run the same inner loop. Narrow products (n ≤ 16) have kernels of their own that fill every lane:
/// <see cref="GemmDot"/> when the rows of op(A) are contiguous, <see cref="GemmOuter"/> when A is transposed.
/// Large products split over up to <see cref="Settings.MaxThreads"/> threads (an allocation-free
/// <see cref="WorkerPool"/>): each slab's packing, then its tiles of C, in equal shares; tiny ones skip packing altogether.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Depth of a packed slab: the packed A micro-panel (MR × KC) stays in L1 while B panels stream from L2.</summary>
    internal const int KC = 256;
    /// <summary>Rows of A packed at once; MC × KC elements sit in L2.</summary>
    internal const int MC = 128;
    /// <summary>Columns of B packed at once; KC × NC elements sit in L2/L3.</summary>
    internal const int NC = 1024;
    /// <summary>Depth of a packed slab when op(B) is a single column panel (the panel then streams from L2).</summary>
    internal const int NarrowKC = 2048;
    /// <summary>Below this many multiply-adds packing costs more than it saves.</summary>
    internal const long DirectLimit = 4096;
    /// <summary>From this many multiply-adds on, a product is split over threads (when allowed).</summary>
    internal const long ParallelThreshold = 1L << 20;

    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, threads: 0);

    /// <summary>As above with a fixed thread count (0: decide from the size and <see cref="Settings.MaxThreads"/>); tests force threading with it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m <= 0 || n <= 0) return;
        // The blocked path works on raw pointers, so operands too short for their strides must fail here.
        if ((long)(m - 1) * ldc + n > c.Length || (k > 0 && (Needed(transA, m, k, lda) > a.Length || Needed(!transB, n, k, ldb) > b.Length)))
            throw new ArgumentException($"Gemm: operands too short for m={m} n={n} k={k} lda={lda} ldb={ldb} ldc={ldc}");
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
            Blocked(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, threads > 0 ? threads : Threads(m, n, k));
    }

    /// <summary>Elements a row-major operand spans: rows × stride, the last row only as long as it is.</summary>
    private static long Needed(bool transposed, int rows, int k, int ld) =>
        transposed ? (long)(k - 1) * ld + rows : (long)(rows - 1) * ld + k;

    /// <summary>The textbook loops in an order that reads op(B) rows contiguously; for products too small to pack.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<T>(bool transA, bool transB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmMicroKernel.MR, nr = NR<T>();
        if (GemmDot.Applies<T>(transA, n, k))
        {
            // op(B) is copied (n ≤ 16 columns of k) into a buffer on a cache line, in the order the kernel reads it.
            T* bt = Buffers<T>.B(n * k);
            GemmDot.Pack(transB, b, ldb, n, k, bt);
            if (threads <= 1) GemmDot.Multiply(0, m, n, k, a, lda, bt, c, ldc, accumulate);
            else SkinnyParallel(threads, outer: false, m, n, k, a, lda, bt, 0, c, ldc, accumulate);
            return;
        }
        if (GemmOuter.Applies<T>(transA, m, n))
        {
            // Rows of op(B) contiguous: B itself unless transposed, else a small gathered copy (k rows of n ≤ 16).
            T* g = b;
            int ldg = ldb;
            if (transB)
            {
                g = Buffers<T>.B(n * k);
                ldg = n;
                Transpose(b, ldb, n, k, g, n);
            }
            if (threads <= 1) GemmOuter.Multiply(m, 0, m, n, k, a, lda, g, ldg, c, ldc, accumulate);
            else SkinnyParallel(threads, outer: true, m, n, k, a, lda, g, ldg, c, ldc, accumulate);
            return;
        }
        if (n <= nr)
        {
            // One column panel: each row of op(A) is read exactly once, so packing A would only add a copy.
            int aRow = transA ? 1 : lda, aStep = transA ? lda : 1;
            int kn = Math.Min(k, NarrowKC);
            T* bq = Buffers<T>.B(nr * kn);
            for (int pc = 0; pc < k; pc += NarrowKC)
            {
                int kc = Math.Min(NarrowKC, k - pc);
                bool add = accumulate || pc > 0;
                GemmPacking.PackB(transB, b, ldb, 0, n, pc, kc, nr, bq);
                T* ap = a + (long)pc * aStep;
                if (threads <= 1) Narrow(ap, aRow, aStep, 0, m, kc, bq, nr, c, ldc, n, add);
                else NarrowParallel(threads, ap, aRow, aStep, m, kc, bq, nr, c, ldc, n, add);
            }
            return;
        }
        // Slabs of equal depth: 784 is four slabs of 196, not three of 256 and a 16-deep one whose C traffic costs
        // as much as its arithmetic.
        int slabs = (k + KC - 1) / KC;
        int kcMax = (k + slabs - 1) / slabs;
        int ncMax = Math.Min(NC, RoundUp(n, nr));
        T* bp = Buffers<T>.B(RoundUp(ncMax, nr) * kcMax);
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool add = accumulate || pc > 0;
                if (threads > 1)
                {
                    SlabParallel(threads, transA, transB, a, lda, b, ldb, m, jc, nc, pc, kc, nr, bp, c + jc, ldc, add);
                    continue;
                }
                GemmPacking.PackB(transB, b, ldb, jc, nc, pc, kc, nr, bp);
                T* ap = Buffers<T>.A(RoundUp(Math.Min(MC, m), mr) * kc);
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    GemmPacking.PackA(transA, a, lda, ic, mc, pc, kc, mr, ap);
                    Tiles(ap, mc, bp, 0, nc, kc, nr, c + (long)ic * ldc, ldc, add);
                }
            }
        }
    }

    /// <summary>
    /// One kc-deep slab over threads in two phases, each split evenly: first every micro-panel of op(A) and of
    /// op(B) is packed (into buffers the caller owns, so helpers never allocate), then C is cut into about two
    /// tiles per thread, across columns as well as rows, so a short m (a batch of 128) still gives every thread
    /// an equal share and no thread packs what another already has.
    /// </summary>
    private static void SlabParallel<T>(int threads, bool transA, bool transB, T* a, int lda, T* b, int ldb, int m,
        int jc, int nc, int pc, int kc, int nr, T* bp, T* c, int ldc, bool add) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmMicroKernel.MR;
        var job = SlabJob<T>.Mine;
        int rowPanels = (m + mr - 1) / mr, colPanels = (nc + nr - 1) / nr;
        (job.TransA, job.TransB, job.Lda, job.Ldb, job.M, job.Jc, job.Nc, job.Pc, job.Kc, job.Nr, job.Ldc, job.Add) =
            (transA, transB, lda, ldb, m, jc, nc, pc, kc, nr, ldc, add);
        job.A = a;
        job.B = b;
        job.C = c;
        job.Bp = bp;
        job.Ap = Buffers<T>.Get(ref job.Packed, rowPanels * mr * kc);
        job.RowPanels = rowPanels;
        job.Packing = true;
        WorkerPool.For(rowPanels + colPanels, threads, job);
        int colGroups = Math.Min(colPanels, threads);
        int rowGroups = Math.Min(rowPanels, (2 * threads + colGroups - 1) / colGroups);
        (job.Packing, job.RowGroups, job.ColGroups, job.ColPanels) = (false, rowGroups, colGroups, colPanels);
        WorkerPool.For(rowGroups * colGroups, threads, job);
    }

    private static void NarrowParallel<T>(int threads, T* a, int aRow, int aStep, int m, int k, T* bq, int nr, T* c, int ldc, int n, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmMicroKernel.MR;
        int per = Math.Max(mr, ((m + threads - 1) / threads + mr - 1) / mr * mr);
        var job = NarrowJob<T>.Mine;
        (job.Per, job.ARow, job.AStep, job.M, job.K, job.Nr, job.Ldc, job.N, job.Add) = (per, aRow, aStep, m, k, nr, ldc, n, add);
        job.A = a;
        job.Bq = bq;
        job.C = c;
        WorkerPool.For((m + per - 1) / per, threads, job);
    }

    /// <summary>dst (cols × rows, row stride ldd) = the transpose of src (rows × cols, row stride ld).</summary>
    // A method of its own: inlined into Blocked, the JIT kept ld on the stack and the copy ran at five cycles an element.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Transpose<T>(T* src, int ld, int rows, int cols, T* dst, int ldd) where T : unmanaged
    {
        int rows8 = 0, cols8 = 0;
        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            // 8×8 blocks through registers; the strided scalar loop below takes what is left.
            (rows8, cols8) = (rows & ~7, cols & ~7);
            float** r = stackalloc float*[8];
            for (int p = 0; p < rows8; p += 8)
            {
                for (int i = 0; i < 8; i++) r[i] = (float*)src + (long)(p + i) * ld;
                for (int j = 0; j < cols8; j += 8) GemmPacking.Transpose8x8(r, j, (float*)dst + (long)j * ldd + p, ldd);
            }
        }
        for (int j = 0; j < cols; j++)
        {
            T* s = src + j, d = dst + (long)j * ldd;
            for (int p = j < cols8 ? rows8 : 0; p < rows; p++) d[p] = s[(long)p * ld];
        }
    }

    private static void SkinnyParallel<T>(int threads, bool outer, int m, int n, int k, T* a, int lda, T* b, int ldb, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // One equal share of C's rows per thread, in multiples of 32 rows so every share's blocks stay whole.
        var job = SkinnyJob<T>.Mine;
        int per = RoundUp((m + threads - 1) / threads, 32);
        (job.Outer, job.Per, job.M, job.N, job.K, job.Lda, job.Ldb, job.Ldc, job.Add) = (outer, per, m, n, k, lda, ldb, ldc, add);
        job.A = a;
        job.B = b;
        job.C = c;
        WorkerPool.For((m + per - 1) / per, threads, job);
    }

    // Jobs are per calling thread, so concurrent callers never overwrite each other's arguments; the pointers
    // stay valid because the caller keeps its operands pinned until WorkerPool.For returns.
    private sealed class SkinnyJob<T> : ParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static SkinnyJob<T>? _mine;
        public static SkinnyJob<T> Mine => _mine ??= new();
        public int Per, M, N, K, Lda, Ldb, Ldc;
        public bool Outer, Add;
        public T* A, B, C;

        public override void Run(int blk)
        {
            int i0 = blk * Per, i1 = Math.Min(M, i0 + Per);
            if (Outer) GemmOuter.Multiply(M, i0, i1, N, K, A, Lda, B, Ldb, C, Ldc, Add);
            else GemmDot.Multiply(i0, i1, N, K, A, Lda, B, C, Ldc, Add);
        }
    }

    private sealed class NarrowJob<T> : ParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static NarrowJob<T>? _mine;
        public static NarrowJob<T> Mine => _mine ??= new();
        public int Per, ARow, AStep, M, K, Nr, Ldc, N;
        public bool Add;
        public T* A, Bq, C;

        public override void Run(int blk) =>
            Narrow(A, ARow, AStep, blk * Per, Math.Min(M, (blk + 1) * Per), K, Bq, Nr, C, Ldc, N, Add);
    }

    /// <summary>Rows i0..i1 of C for a single column panel, reading op(A) in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Narrow<T>(T* a, int aRow, int aStep, int i0, int i1, int k, T* bq, int nr, T* c, int ldc, int n, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmMicroKernel.MR;
        for (int i = i0; i < i1; i += mr)
        {
            int rows = Math.Min(mr, i1 - i);
            T* ai = a + (long)i * aRow;
            T* ci = c + (long)i * ldc;
            if (Vector512.IsHardwareAccelerated)
            {
                if (n <= Vector512<T>.Count) GemmMicroKernel.Vector512x1Strided(k, ai, aRow, aStep, bq, nr, ci, ldc, rows, n, add);
                else GemmMicroKernel.Vector512x2Strided(k, ai, aRow, aStep, bq, nr, ci, ldc, rows, n, add);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                if (n <= Vector256<T>.Count) GemmMicroKernel.Vector256x1Strided(k, ai, aRow, aStep, bq, nr, ci, ldc, rows, n, add);
                else GemmMicroKernel.Vector256x2Strided(k, ai, aRow, aStep, bq, nr, ci, ldc, rows, n, add);
            }
            else GemmMicroKernel.Scalar(k, ai, aRow, aStep, bq, nr, ci, ldc, rows, n, add);
        }
    }

    private sealed class SlabJob<T> : ParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic] private static SlabJob<T>? _mine;
        public static SlabJob<T> Mine => _mine ??= new();
        public int Lda, Ldb, M, Jc, Nc, Pc, Kc, Nr, Ldc, RowPanels, ColPanels, RowGroups, ColGroups;
        public bool TransA, TransB, Add, Packing;
        public T* A, B, C, Ap, Bp;
        public T[]? Packed;

        public override void Run(int index)
        {
            int mr = GemmMicroKernel.MR;
            if (Packing)
            {
                if (index < RowPanels)
                {
                    int i0 = index * mr;
                    GemmPacking.PackA(TransA, A, Lda, i0, Math.Min(mr, M - i0), Pc, Kc, mr, Ap + (long)i0 * Kc);
                }
                else
                {
                    int j0 = (index - RowPanels) * Nr;
                    GemmPacking.PackB(TransB, B, Ldb, Jc + j0, Math.Min(Nr, Nc - j0), Pc, Kc, Nr, Bp + (long)j0 * Kc);
                }
                return;
            }
            int rg = index / ColGroups, cg = index % ColGroups;
            int r0 = RowPanels * rg / RowGroups, r1 = RowPanels * (rg + 1) / RowGroups;
            int c0 = ColPanels * cg / ColGroups, c1 = ColPanels * (cg + 1) / ColGroups;
            int rows = Math.Min(M, r1 * mr) - r0 * mr;
            Tiles(Ap + (long)r0 * mr * Kc, rows, Bp, c0 * Nr, Math.Min(Nc, c1 * Nr), Kc, Nr, C + (long)r0 * mr * Ldc, Ldc, Add);
        }
    }

    /// <summary>
    /// C[0..mc, j0..j1) (+)= the packed row block <paramref name="ap"/> (mc rows) times columns j0..j1 of the packed
    /// slab <paramref name="bp"/>: each B micro-panel stays in L1 while the A micro-panels pass it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tiles<T>(T* ap, int mc, T* bp, int j0, int j1, int kc, int nr, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmMicroKernel.MR;
        for (int jr = j0; jr < j1; jr += nr)
        {
            int cols = Math.Min(nr, j1 - jr);
            T* bpanel = bp + (long)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* cc = c + (long)ir * ldc + jr;
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
                else GemmMicroKernel.Scalar(kc, apanel, 1, mr, bpanel, nr, cc, ldc, rows, cols, add);
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

        /// <summary>A pinned buffer of at least <paramref name="size"/> elements in <paramref name="buffer"/>, grown when too small.</summary>
        public static T* Get(ref T[]? buffer, int size)
        {
            // Vector loads from packed panels stay in bounds: over-allocate by one vector of slack, and by another
            // to start on a cache line, so no 64-byte load of a packed panel ever straddles two lines.
            size += 64 + 64 / sizeof(T);
            if (buffer is null || buffer.Length < size) buffer = GC.AllocateUninitializedArray<T>(size, pinned: true);
            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
            return (T*)((p + 63) & ~(nint)63);
        }
    }
}
