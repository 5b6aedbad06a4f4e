namespace FunctionalAD;

/// <summary>
/// one_hot(i, depth): a float32 vector per int32 label with a 1 at the label, appended as a last axis.
/// A label outside 0..depth-1 gives a row of zeros, as in TensorFlow. Labels carry no derivative.
/// </summary>
public sealed class OneHotOp(int depth, DType dtype) : Primitive
{
    /// <summary>Number of classes.</summary>
    public int Depth { get; } = depth;
    /// <summary>The float dtype of the rows.</summary>
    public DType Of { get; } = dtype;
    /// <inheritdoc/>
    public override string Name => "one_hot";
    internal override string Key => $"one_hot{Depth}<{Of.Name()}>";
    internal override bool SameParameters(Primitive other) => other is OneHotOp o && o.Depth == Depth && o.Of == Of;
    internal override int ParameterHash => Depth;
    // ONNX OneHot counts negative labels from the end; comparing with 0..depth-1 keeps "out of range gives zeros".
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Cast",
        [b.Node("Equal", [b.Node("Unsqueeze", [a[0], b.Int64s(-1)]), b.Constant(Tensor.From(Enumerable.Range(0, Depth).ToArray()))])],
        OnnxAttribute.Int("to", b.TypeCode(Of)));
    internal override string Format(string[] a) => $"one_hot({a[0]}, {Depth})";

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        if (args[0].DType != DType.Int32) throw new DTypeException($"one_hot: labels must be int32, got {args[0].DType.Name()} (use Cast)");
        if (Depth <= 0) throw new ShapeException($"one_hot: depth must be positive, got {Depth}");
        if (!Of.IsFloat()) throw new DTypeException($"one_hot: rows must be float32 or float64, not {Of.Name()}");
        return (args[0].Shape.AppendAxis(Depth), Of);
    }

    internal override void Forward(Tensor[] args, Tensor result)
    {
        var labels = args[0].Array<int>();
        Array.Clear(result.Data);
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= 0 && labels[i] < Depth)
            {
                if (result.Data is float[] f) f[i * Depth + labels[i]] = 1f;
                else ((double[])result.Data)[i * Depth + labels[i]] = 1d;
            }
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => Of == DType.Float32
        ? new OneHotStep<float>(args[0], result, Depth)
        : new OneHotStep<double>(args[0], result, Depth);

    internal override bool Differentiable(int arg) => false;
    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.ZerosLike(y.Arg(0));
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.ZerosLike(y);
}

public static partial class Ex
{
    /// <summary>One-hot rows (float32 unless <paramref name="dtype"/> says float64) for int32 <paramref name="labels"/>, with <paramref name="depth"/> classes.</summary>
    public static Expr OneHot(Expr labels, int depth, DType dtype = DType.Float32) => Primitive.Build(new OneHotOp(depth, dtype.Checked("one_hot")), labels);
}
