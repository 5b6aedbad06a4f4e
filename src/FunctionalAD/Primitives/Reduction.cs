namespace FunctionalAD;

/// <summary>Base of reductions over a set of axes, with or without keeping them as size 1.</summary>
public abstract class Reduction(int[] axes, bool keepDims) : Primitive
{
    /// <summary>The reduced axes, sorted and non-negative.</summary>
    public int[] Axes { get; } = axes;
    /// <summary>Whether reduced axes stay as size 1.</summary>
    public bool KeepDims { get; } = keepDims;

    internal override string Key => $"{Name}[{string.Join(",", Axes)}]{(KeepDims ? "k" : "")}";

    internal override int ParameterHash
    {
        get
        {
            int h = KeepDims ? 1 : 0;
            foreach (var a in Axes) h = h * 31 + a + 1;
            return h;
        }
    }

    internal override bool SameParameters(Primitive other) =>
        other is Reduction r && r.GetType() == GetType() && r.KeepDims == KeepDims && r.Axes.AsSpan().SequenceEqual(Axes);

    /// <summary>
    /// The ONNX reduction <paramref name="opType"/> of <paramref name="x"/> over <paramref name="axes"/>: the axes are an
    /// input from opset 18 on (from 13 for ReduceSum) and an attribute before; no axes reduce nothing (ONNX would reduce all).
    /// </summary>
    internal static string OnnxReduce(IOnnxBuilder b, string opType, string x, int[] axes, bool keepDims)
    {
        if (axes.Length == 0) return b.Node("Identity", [x]);
        var keep = OnnxAttribute.Int("keepdims", keepDims ? 1 : 0);
        return b.Opset >= 18 || opType == "ReduceSum"
            ? b.Node(opType, [x, b.Int64s(axes.Select(v => (long)v).ToArray())], keep)
            : b.Node(opType, [x], OnnxAttribute.Ints("axes", axes), keep);
    }


    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        foreach (var a in Axes)
            if (a >= args[0].Rank) throw new AxisException($"{Name}: axis {a} is out of range for rank {args[0].Rank}");
        return (KeepDims ? args[0].Shape.Kept(Axes) : args[0].Shape.Dropped(Axes), dt);
    }

    /// <summary>How elements combine; the compiled step is the same strided reduction for every kind.</summary>
    private protected abstract ReduceKind Combine { get; }

    internal override void Kernel<T>(Tensor[] args, Tensor result) => Reduce.Interpret<T>(args[0], Axes, result, Combine);

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => node.DType == DType.Float32
        ? new ReduceStep<float>(args[0], node.Arg(0).Shape, Axes, result, Combine, Key)
        : new ReduceStep<double>(args[0], node.Arg(0).Shape, Axes, result, Combine, Key);

    /// <summary>Reshapes a reduced value (of this reduction's result shape) to the kept-dims shape, ready to broadcast against x.</summary>
    internal Expr Kept(Expr reduced, Shape x) => Ex.Reshape(reduced, Reduce.KeptShape(x, Axes));

    internal override string Format(string[] a, Expr[] args)
    {
        var parts = new List<string> { a[0] };
        if (Axes.Length != args[0].Rank) parts.Add($"axis={(Axes.Length == 1 ? Axes[0].ToString() : "[" + string.Join(", ", Axes) + "]")}");
        if (KeepDims) parts.Add("keepdims");
        return $"{Name}({string.Join(", ", parts)})";
    }
}
