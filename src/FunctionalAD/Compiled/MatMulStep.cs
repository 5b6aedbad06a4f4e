using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FunctionalAD;

/// <summary>A (batched) matrix product through <see cref="Gemm"/>, with every batch's operand offsets worked out at compile time.</summary>
/// <remarks>
/// Products of at most <see cref="Gemm.DirectLimit"/> multiply-adds (W1's 2×3×4) skip <see cref="Gemm.Multiply{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>'s
/// checks and dispatch, which the compiler has already settled, and run <see cref="Direct"/>: Gemm's own textbook
/// loops, in the same order, so the bits are the interpreter's.
/// </remarks>
internal sealed class MatMulStep<T>(Loc a, Loc b, Loc c, bool transA, bool transB, int m, int n, int k,
    int[] offA, int[] offB, string what) : Step where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool _direct = k > 0 && (long)m * n * k <= Gemm.DirectLimit;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws)
    {
        T[] av = ws.Array<T>(a), bv = ws.Array<T>(b), cv = ws.Array<T>(c);
        int lda = transA ? m : k, ldb = transB ? k : n, sa = m * k, sb = k * n, sc = m * n;
        for (int t = 0; t < offA.Length; t++)
            if (_direct)
                Direct(av.AsSpan(a.Offset + offA[t], sa), lda, bv.AsSpan(b.Offset + offB[t], sb), ldb, cv.AsSpan(c.Offset + t * sc, sc));
            else
                Gemm.Multiply<T>(transA, transB, m, n, k,
                    av.AsSpan(a.Offset + offA[t], sa), lda,
                    bv.AsSpan(b.Offset + offB[t], sb), ldb,
                    cv.AsSpan(c.Offset + t * sc, sc), n);
    }

    /// <summary>
    /// C = op(A)·op(B) for a tiny product, as <c>Gemm.Direct</c> computes it: with op(B) = B, each row of C is
    /// ((0 + a[i,0]·b[0,:]) + a[i,1]·b[1,:]) + …; with op(B) = Bᵀ, each element is (0 + a[i,0]·b[j,0]) + ….
    /// The spans' lengths were checked at compile time (they are the operands' own sizes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Direct(ReadOnlySpan<T> aSpan, int lda, ReadOnlySpan<T> bSpan, int ldb, Span<T> cSpan)
    {
        ref T pa = ref MemoryMarshal.GetReference(aSpan);
        ref T pb = ref MemoryMarshal.GetReference(bSpan);
        ref T pc = ref MemoryMarshal.GetReference(cSpan);
        for (int i = 0; i < m; i++)
        {
            ref T ci = ref Unsafe.Add(ref pc, i * n);
            if (!transB)
            {
                for (int j = 0; j < n; j++) Unsafe.Add(ref ci, j) = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T aip = transA ? Unsafe.Add(ref pa, p * lda + i) : Unsafe.Add(ref pa, i * lda + p);
                    ref T bp = ref Unsafe.Add(ref pb, p * ldb);
                    for (int j = 0; j < n; j++) Unsafe.Add(ref ci, j) += aip * Unsafe.Add(ref bp, j);
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    ref T bj = ref Unsafe.Add(ref pb, j * ldb);
                    T s = T.Zero;
                    if (transA) for (int p = 0; p < k; p++) s += Unsafe.Add(ref pa, p * lda + i) * Unsafe.Add(ref bj, p);
                    else
                    {
                        ref T ai = ref Unsafe.Add(ref pa, i * lda);
                        for (int p = 0; p < k; p++) s += Unsafe.Add(ref ai, p) * Unsafe.Add(ref bj, p);
                    }
                    Unsafe.Add(ref ci, j) = s;
                }
            }
        }
    }

    public override string Describe() => $"gemm {(transA ? "T" : "N")}{(transB ? "T" : "N")} {m}x{n}x{k}{(offA.Length > 1 ? $" ×{offA.Length}" : "")} {a}, {b} -> {c}  [{what}]{(_direct ? " direct" : "")}";
}
