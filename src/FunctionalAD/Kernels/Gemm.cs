using System.Numerics;
using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>
/// C = op(A)·op(B) (+ C when accumulating) for row-major matrices, where op transposes without copying.
/// A is m×k (k×m when transposed) with row stride lda; B is k×n (n×k when transposed) with row stride ldb.
/// </summary>
internal static class Gemm
{
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!accumulate)
            for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
        if (k == 0) return;
        var row = transB ? new T[k] : null;
        for (int i = 0; i < m; i++)
        {
            var ci = c.Slice(i * ldc, n);
            if (!transB)
            {
                // i-p-j order: each step is a contiguous AXPY over a row of B.
                for (int p = 0; p < k; p++)
                {
                    T aip = transA ? a[p * lda + i] : a[i * lda + p];
                    if (aip == T.Zero) continue;
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), aip, ci, ci);
                }
            }
            else
            {
                for (int p = 0; p < k; p++) row![p] = transA ? a[p * lda + i] : a[i * lda + p];
                for (int j = 0; j < n; j++) ci[j] += TensorPrimitives.Dot<T>(row, b.Slice(j * ldb, k));
            }
        }
    }
}
