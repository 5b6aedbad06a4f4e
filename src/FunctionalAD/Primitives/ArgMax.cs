using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// argmax(x, axis) and argmin(x, axis), as <c>tf.math.argmax</c> / <c>tf.math.argmin</c> with
/// <c>output_type=tf.int32</c>: the int32 position along <c>axis</c> of the largest (smallest) element, the axis
/// dropped. Ties give the first position, as TensorFlow does; a NaN wins over every number (the first NaN), as
/// NumPy does, so a diverged row is visible. Piecewise constant: no derivative flows through it.
/// </summary>
public sealed class ArgMaxOp(int axis, bool smallest) : Primitive
{
    /// <summary>The non-negative axis searched.</summary>
    public int Axis { get; } = axis;
    /// <summary>True for argmin.</summary>
    public bool Smallest { get; } = smallest;
    /// <inheritdoc/>
    public override string Name => Smallest ? "argmin" : "argmax";
    internal override string Key => $"{Name}{Axis}";
    internal override string Format(string[] a) => $"{Name}({a[0]}, axis={Axis})";

    /// <summary>
    /// ArgMax/ArgMin (select_last_index = 0: ties give the first position), int64 cast to int32. Float input: a row
    /// holding a NaN gives its first NaN instead (ArgMax of the IsNaN mask), as ours does; ONNX leaves NaN unspecified.
    /// </summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        OnnxAttribute[] at = [OnnxAttribute.Int("axis", Axis), OnnxAttribute.Int("keepdims", 0), OnnxAttribute.Int("select_last_index", 0)];
        var best = b.Node(Smallest ? "ArgMin" : "ArgMax", [a[0]], at);
        if (node.Arg(0).DType.IsFloat())
        {
            var nan = b.Node("Cast", [b.Node("IsNaN", [a[0]])], OnnxAttribute.Int("to", b.TypeCode(DType.Int32)));
            var any = Reduction.OnnxReduce(b, "ReduceMax", nan, [Axis], keepDims: false);
            best = b.Node("Where", [b.Node("Cast", [any], OnnxAttribute.Int("to", OnnxLayout.BoolCode)), b.Node("ArgMax", [nan], at), best]);
        }
        return OnnxLayout.ToInt32(b, best);
    }
    internal override (string Text, int Prec)? ToLatex(Apply node, Printed[] a) =>
        ($"\\operatorname{{{Name}}}_{{{Axis}}}{Latex.Paren(a[0].Text)}", Latex.Atom);

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var x = args[0];
        if (x.DType != DType.Float32 && x.DType != DType.Float64 && x.DType != DType.Int32)
            throw new DTypeException($"{Name}: needs float32, float64 or int32, got {x.DType.Name()}");
        if (Axis < 0 || Axis >= x.Rank) throw new AxisException($"{Name}: axis {Axis} is out of range for rank {x.Rank}");
        if (x.Shape[Axis] == 0) throw new ShapeException($"{Name}: axis {Axis} of {x.Shape} is empty, so there is no position to return");
        return (new Shape(x.Shape.Where((_, i) => i != Axis).ToArray()), DType.Int32);
    }

    private (int Outer, int N, int Inner) Split(Shape s)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < Axis; i++) outer *= s[i];
        for (int i = Axis + 1; i < s.Rank; i++) inner *= s[i];
        return (outer, s[Axis], inner);
    }

    internal override void Forward(Tensor[] args, Tensor result)
    {
        var (o, n, i) = Split(args[0].Shape);
        switch (args[0].DType)
        {
            case DType.Float32: Run<float>(args[0].Span<float>(), result.Span<int>(), o, n, i, Smallest); break;
            case DType.Float64: Run<double>(args[0].Span<double>(), result.Span<int>(), o, n, i, Smallest); break;
            default: Run<int>(args[0].Span<int>(), result.Span<int>(), o, n, i, Smallest); break;
        }
    }

    /// <summary>The one kernel, for the interpreter and the compiled step.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Run<T>(ReadOnlySpan<T> x, Span<int> r, int outer, int n, int inner, bool smallest) where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int at = o * n * inner + j, best = 0;
                T v = x[at];
                if (!T.IsNaN(v))
                    for (int k = 1; k < n; k++)
                    {
                        T c = x[at + k * inner];
                        if (T.IsNaN(c)) { best = k; break; }
                        if (smallest ? c < v : c > v) { v = c; best = k; }
                    }
                r[o * inner + j] = best;
            }
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var (o, n, i) = Split(node.Arg(0).Shape);
        return new ArgStep(args[0], result, o, n, i, Smallest, Key);
    }

    private sealed class ArgStep(Loc x, Loc dst, int outer, int n, int inner, bool smallest, string key) : Step
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public override void Run(Workspace ws)
        {
            switch (x.DType)
            {
                case DType.Float32: Run<float>(ws.Span<float>(x), ws.Span<int>(dst), outer, n, inner, smallest); break;
                case DType.Float64: Run<double>(ws.Span<double>(x), ws.Span<int>(dst), outer, n, inner, smallest); break;
                default: Run<int>(ws.Span<int>(x), ws.Span<int>(dst), outer, n, inner, smallest); break;
            }
        }

        public override string Describe() => $"{key} {x} -> {dst}";
    }

    internal override bool Differentiable(int arg) => false;
    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.ZerosLike(y.Arg(0));
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.ZerosLike(y);
}

public static partial class Ex
{
    /// <summary>
    /// The int32 position of the largest element along <paramref name="axis"/> (negative counts from the end), the
    /// axis dropped: <c>tf.math.argmax(x, axis, output_type=tf.int32)</c>. Ties give the first position; a NaN wins.
    /// </summary>
    public static Expr ArgMax(Expr x, int axis = -1)
    {
        NotNull(x, nameof(x), "argmax");
        return Primitive.Build(new ArgMaxOp(Shape.NormalizeAxis(axis, x.Rank, "argmax"), false), x);
    }

    /// <summary>
    /// The int32 position of the smallest element along <paramref name="axis"/> (negative counts from the end), the
    /// axis dropped: <c>tf.math.argmin(x, axis, output_type=tf.int32)</c>. Ties give the first position; a NaN wins.
    /// </summary>
    public static Expr ArgMin(Expr x, int axis = -1)
    {
        NotNull(x, nameof(x), "argmin");
        return Primitive.Build(new ArgMaxOp(Shape.NormalizeAxis(axis, x.Rank, "argmin"), true), x);
    }
}
