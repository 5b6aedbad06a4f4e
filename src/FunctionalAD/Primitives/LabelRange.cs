namespace FunctionalAD;

/// <summary>
/// check_labels(i, n): the int32 class labels i unchanged, after checking that each lies in 0..n−1. A label outside
/// raises a <see cref="FunctionalADException"/> when the expression is evaluated, naming the label and its position,
/// as Keras's sparse cross-entropy does; without it a one-hot row of zeros would make a bad label cost nothing.
/// Labels carry no derivative.
/// </summary>
public sealed class LabelRangeOp(int classes) : Primitive
{
    /// <summary>Number of classes n: labels must lie in 0..n−1.</summary>
    public int Classes { get; } = classes;
    /// <inheritdoc/>
    public override string Name => "check_labels";
    internal override string Key => $"check_labels{Classes}";
    internal override bool SameParameters(Primitive other) => other is LabelRangeOp l && l.Classes == Classes;
    internal override string Format(string[] a) => $"check_labels({a[0]}, {Classes})";
    // Standard ONNX has no operator that raises at run time, so the exported graph passes the labels on unchecked.
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Identity", a);

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        if (args[0].DType != DType.Int32) throw new DTypeException($"check_labels: labels must be int32, got {args[0].DType.Name()} (use Cast)");
        if (Classes <= 0) throw new ShapeException($"check_labels: the number of classes must be positive, got {Classes}");
        return (args[0].Shape, DType.Int32);
    }

    internal override void Forward(Tensor[] args, Tensor result)
    {
        var labels = args[0].Array<int>();
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)Classes)
                throw new FunctionalADException($"check_labels: label {labels[i]} at {Position(args[0].Shape, i)} is outside the {Classes} classes 0..{Classes - 1}");
        Array.Copy(labels, result.Array<int>(), labels.Length);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => new LabelRangeStep(this, node.Arg(0).Shape, args[0], result);

    /// <summary>The check as a compiled step: the same message as the interpreter, no allocation unless it throws.</summary>
    private sealed class LabelRangeStep(LabelRangeOp op, Shape shape, Loc src, Loc dst) : Step
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public override void Run(Workspace ws)
        {
            var labels = ws.Span<int>(src);
            for (int i = 0; i < labels.Length; i++)
                if ((uint)labels[i] >= (uint)op.Classes)
                    throw new FunctionalADException($"check_labels: label {labels[i]} at {Position(shape, i)} is outside the {op.Classes} classes 0..{op.Classes - 1}");
            labels.CopyTo(ws.Span<int>(dst));
        }

        public override string Describe() => $"check_labels {src} < {op.Classes} -> {dst}";
    }

    private static string Position(Shape s, int flat)
    {
        var index = new int[s.Rank];
        for (int a = s.Rank - 1; a >= 0; a--) { index[a] = flat % s[a]; flat /= s[a]; }
        return $"index [{string.Join(", ", index)}] of labels shaped {s}";
    }

    internal override bool Differentiable(int arg) => false;
    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.ZerosLike(y.Arg(0));
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.ZerosLike(y);
}

public static partial class Ex
{
    /// <summary>The int32 <paramref name="labels"/> unchanged, with a check at evaluation that each lies in 0..classes−1.</summary>
    internal static Expr CheckLabels(Expr labels, int classes) => Primitive.Build(new LabelRangeOp(classes), labels);
}
