namespace FunctionalAD;

/// <summary>
/// Max pooling as <c>tf.nn.max_pool2d</c> over NHWC input: y[n,i,j,c] = max of x over the window
/// (i·sh - pt .. + kh, j·sw - pl .. + kw), the padding of SAME ignored. Its derivative flows to the first
/// maximum of each window in row-major order, as TensorFlow's gradient does on ties:
/// the VJP scatters ȳ there and the JVP gathers the tangent there (<see cref="MaxPool2DRouteOp"/>).
/// </summary>
public sealed class MaxPool2DOp : Primitive
{
    internal MaxPool2DOp(ConvSpec spec, int kh, int kw) => (Spec, WindowHeight, WindowWidth) = (spec, kh, kw);
    internal ConvSpec Spec { get; }
    /// <summary>Window height.</summary>
    public int WindowHeight { get; }
    /// <summary>Window width.</summary>
    public int WindowWidth { get; }
    /// <inheritdoc/>
    public override string Name => "max_pool2d";
    internal override string Key => $"max_pool2d{Spec.Key}k{WindowHeight},{WindowWidth}";
    internal override string Format(string[] a) => $"max_pool2d({a[0]}, ksize=[{WindowHeight}, {WindowWidth}], {Spec.Describe})";

    /// <summary>x read at each window's first maximum (<see cref="Pooling.OnnxFirstMax"/>), so a NaN wins as in the kernel.</summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        var x = OnnxLayout.ToNchw(b, a[0]);
        var at = Pooling.OnnxFirstMax(b, x, Pooling.Geometry(Name, Spec, WindowHeight, WindowWidth, node.Arg(0).Shape), node.DType);
        return OnnxLayout.ToNhwc(b, b.Node("Gather", [b.Node("Reshape", [x, b.Int64s(-1)]), at]));
    }

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        var g = Pooling.Geometry(Name, Spec, WindowHeight, WindowWidth, args[0].Shape);
        return (g.OutputShape, dt);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result) =>
        Pooling.Geometry(Name, Spec, WindowHeight, WindowWidth, args[0].Shape).MaxRoute<T>(args[0].Span<T>(), default, result.Span<T>(), MaxMode.Forward);

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var g = Pooling.Geometry(Name, Spec, WindowHeight, WindowWidth, node.Arg(0).Shape);
        return node.DType == DType.Float32
            ? new WindowStep<float>(args[0], null, result, 0, (x, _, y, _) => g.MaxRoute(x, default, y, MaxMode.Forward), Key)
            : new WindowStep<double>(args[0], null, result, 0, (x, _, y, _) => g.MaxRoute(x, default, y, MaxMode.Forward), Key);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.MaxPool2DRoute(y.Arg(0), g, Spec, WindowHeight, WindowWidth, scatter: true);
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.MaxPool2DRoute(y.Arg(0), t[0]!, Spec, WindowHeight, WindowWidth, scatter: false);
}

/// <summary>The window arithmetic pooling shares: ksize as a window of dilation 1, one output channel per input channel.</summary>
internal static class Pooling
{
    public static ConvGeometry Geometry(string op, ConvSpec spec, int kh, int kw, Shape x)
    {
        if (x.Rank != 4) throw new ShapeException($"{op}: input must be NHWC (rank 4), got {x}");
        return spec.Geometry(op, x[0], x[1], x[2], x[3], kh, kw, x[3]);
    }

    /// <summary>
    /// The int64 position, flat over the NCHW input <paramref name="x"/>, of each window's first maximum in row-major
    /// order, as <see cref="ConvGeometry.MaxRoute{T}"/> picks it: MaxPool's Indices output (SAME padding ignored, ties to
    /// the first), except that a window holding a NaN takes its first NaN (MaxPool's Indices of the IsNaN mask), where
    /// ONNX Runtime's MaxPool would pass over it.
    /// </summary>
    public static string OnnxFirstMax(IOnnxBuilder b, string x, ConvGeometry g, DType dtype)
    {
        var window = OnnxLayout.Window(g, dilations: false);
        var at = b.Node("MaxPool", [x], 2, window)[1];
        var nan = b.Node("Cast", [b.Node("IsNaN", [x])], OnnxAttribute.Int("to", b.TypeCode(dtype)));
        var firstNan = b.Node("MaxPool", [nan], 2, window);
        return b.Node("Where", [b.Node("Greater", [firstNan[0], b.Scalar(0, dtype)]), firstNan[1], at]);
    }

    public static (ConvSpec Spec, int KH, int KW) Parse(int[] ksize, int[]? strides, string padding)
    {
        ArgumentNullException.ThrowIfNull(ksize);
        var k = ConvSpec.Parse(ksize, "VALID", null, nameof(ksize));
        var spec = ConvSpec.Parse(strides ?? ksize, padding, null);
        return (spec, k.StrideH, k.StrideW);
    }
}

public static partial class Ex
{
    /// <summary>
    /// Max pooling, as <c>tf.nn.max_pool2d(input, ksize, strides, padding)</c> on NHWC input; <paramref name="ksize"/>
    /// and <paramref name="strides"/> take 1, 2 or 4 values (strides default to ksize, as Keras does). SAME padding
    /// is ignored by the maximum. The gradient goes to the first maximum of each window (row-major), as TensorFlow's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A window size or stride below 1, or padding neither SAME nor VALID.</exception>
    public static Expr MaxPool2D(Expr input, int[] ksize, int[]? strides = null, string padding = "VALID")
    {
        var (spec, kh, kw) = Pooling.Parse(ksize, strides, padding);
        return Primitive.Build(new MaxPool2DOp(spec, kh, kw), input);
    }

    /// <summary>Max pooling with a square window; see <see cref="MaxPool2D(Expr, int[], int[], string)"/>.</summary>
    public static Expr MaxPool2D(Expr input, int ksize, int? strides = null, string padding = "VALID") =>
        MaxPool2D(input, [ksize], [strides ?? ksize], padding);
}
