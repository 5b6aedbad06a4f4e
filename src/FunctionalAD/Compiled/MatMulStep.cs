using System.Numerics;

namespace FunctionalAD;

/// <summary>A (batched) matrix product through <see cref="Gemm"/>, with every batch's operand offsets worked out at compile time.</summary>
internal sealed class MatMulStep<T>(Loc a, Loc b, Loc c, bool transA, bool transB, int m, int n, int k,
    int[] offA, int[] offB, string what) : Step where T : unmanaged, IFloatingPointIeee754<T>
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws)
    {
        T[] av = ws.Array<T>(a), bv = ws.Array<T>(b), cv = ws.Array<T>(c);
        int lda = transA ? m : k, ldb = transB ? k : n, sa = m * k, sb = k * n, sc = m * n;
        for (int t = 0; t < offA.Length; t++)
            Gemm.Multiply<T>(transA, transB, m, n, k,
                av.AsSpan(a.Offset + offA[t], sa), lda,
                bv.AsSpan(b.Offset + offB[t], sb), ldb,
                cv.AsSpan(c.Offset + t * sc, sc), n);
    }

    public override string Describe() => $"gemm {(transA ? "T" : "N")}{(transB ? "T" : "N")} {m}x{n}x{k}{(offA.Length > 1 ? $" ×{offA.Length}" : "")} {a}, {b} -> {c}  [{what}]";
}
