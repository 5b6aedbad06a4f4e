using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// The int32 positions of the k largest entries of each row (last axis), largest first, as the indices of
/// <c>tf.math.top_k(x, k)</c>; equal values keep their order (the lower position first), as TensorFlow does, and a
/// NaN counts as larger than every number. Piecewise constant: no derivative flows through it. The values of
/// <see cref="Ex.TopK"/> are a gather at these positions, so their gradient scatters to the chosen entries.
/// </summary>
public sealed class TopKIndicesOp(int k) : Primitive
{
    /// <summary>How many positions per row.</summary>
    public int K { get; } = k;
    /// <inheritdoc/>
    public override string Name => "top_k_indices";
    internal override string Key => $"top_k_indices{K}";
    internal override string Format(string[] a) => $"top_k_indices({a[0]}, k={K})";

    /// <summary>TopK (largest, sorted; equal values keep the lower position first), NaN first as ours; int32 positions.</summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => node.Shape.Size == 0
        ? OnnxLayout.Empty(b, node)
        : OnnxLayout.ToInt32(b, OnnxLayout.StableOrder(b, a[0], node.Arg(0).DType, node.Arg(0).Shape[-1], K, largest: true));

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var x = args[0];
        if (x.DType != DType.Float32 && x.DType != DType.Float64 && x.DType != DType.Int32)
            throw new DTypeException($"top_k: needs float32, float64 or int32, got {x.DType.Name()}");
        if (x.Rank == 0) throw new ShapeException("top_k: needs at least one axis, got a scalar");
        if (K < 0 || K > x.Shape[x.Rank - 1])
            throw new ShapeException($"top_k: k = {K} must lie in 0..{x.Shape[x.Rank - 1]}, the size of the last axis of {x.Shape}");
        var d = x.Shape.ToArray();
        d[^1] = K;
        return (new Shape(d), DType.Int32);
    }

    internal override void Forward(Tensor[] args, Tensor result)
    {
        int n = args[0].Shape[args[0].Rank - 1];
        switch (args[0].DType)
        {
            case DType.Float32: Run<float>(args[0].Span<float>(), result.Span<int>(), n, K); break;
            case DType.Float64: Run<double>(args[0].Span<double>(), result.Span<int>(), n, K); break;
            default: Run<int>(args[0].Span<int>(), result.Span<int>(), n, K); break;
        }
    }

    /// <summary>Per row, a stable sort of the positions by descending value (NaN first), then the first k.</summary>
    private static void Run<T>(ReadOnlySpan<T> x, Span<int> r, int n, int k) where T : INumber<T>
    {
        if (n == 0 || k == 0) return;
        var order = new int[n];
        var keys = new T[n];
        for (int row = 0, rows = x.Length / n; row < rows; row++)
        {
            var xs = x.Slice(row * n, n);
            xs.CopyTo(keys);
            for (int i = 0; i < n; i++) order[i] = i;
            // Insertion of each position after every one that beats or ties it: stable and allocation-free per row.
            for (int i = 1; i < n; i++)
            {
                int p = order[i], j = i - 1;
                while (j >= 0 && Beats(keys[p], keys[order[j]])) { order[j + 1] = order[j]; j--; }
                order[j + 1] = p;
            }
            order.AsSpan(0, k).CopyTo(r.Slice(row * k, k));
        }
    }

    private static bool Beats<T>(T a, T b) where T : INumber<T> => T.IsNaN(a) ? !T.IsNaN(b) : !T.IsNaN(b) && a > b;

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) =>
        new TopKStep(args[0], result, node.Arg(0).Shape[node.Arg(0).Rank - 1], K);

    private sealed class TopKStep(Loc x, Loc dst, int n, int k) : Step
    {
        public override void Run(Workspace ws)
        {
            switch (x.DType)
            {
                case DType.Float32: Run<float>(ws.Span<float>(x), ws.Span<int>(dst), n, k); break;
                case DType.Float64: Run<double>(ws.Span<double>(x), ws.Span<int>(dst), n, k); break;
                default: Run<int>(ws.Span<int>(x), ws.Span<int>(dst), n, k); break;
            }
        }

        public override string Describe() => $"top_k_indices{k} {x} -> {dst}";
    }

    internal override bool Differentiable(int arg) => false;
    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.ZerosLike(y.Arg(0));
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.ZerosLike(y);
}

public static partial class Ex
{
    /// <summary>
    /// The <paramref name="k"/> largest entries of each row (last axis) of <paramref name="x"/>, largest first, and
    /// their int32 positions: <c>tf.math.top_k(x, k)</c>. Ties keep the lower position first. The values are a gather
    /// of x at the positions, so their gradient flows to the chosen entries (and differentiates again); the
    /// positions carry none. <paramref name="sorted"/> is accepted for TensorFlow's signature: the result is always
    /// sorted, which <c>sorted=False</c> allows.
    /// </summary>
    public static (Expr Values, Expr Indices) TopK(Expr x, int k = 1, bool sorted = true)
    {
        NotNull(x, nameof(x), "top_k");
        _ = sorted;
        var indices = Primitive.Build(new TopKIndicesOp(k), x);
        return (Gather(x, indices, axis: -1, batchDims: x.Rank - 1), indices);
    }
}
