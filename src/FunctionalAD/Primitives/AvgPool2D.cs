namespace FunctionalAD;

/// <summary>
/// Average pooling as <c>tf.nn.avg_pool2d</c> over NHWC input: each output is the mean of its window's elements
/// inside the input (SAME padding is not counted, as in TensorFlow). Linear, so its JVP is itself on the tangent and
/// its VJP is the transposed form (<see cref="Transposed"/>), which spreads ȳ[o]/count(o) over the window.
/// </summary>
public sealed class AvgPool2DOp : Primitive
{
    internal AvgPool2DOp(ConvSpec spec, int kh, int kw, Shape? inputShape) => (Spec, WindowHeight, WindowWidth, InputShape) = (spec, kh, kw, inputShape);
    internal ConvSpec Spec { get; }
    /// <summary>Window height.</summary>
    public int WindowHeight { get; }
    /// <summary>Window width.</summary>
    public int WindowWidth { get; }
    /// <summary>For the transposed form (the gradient), the shape of the pooled input it returns to; null for pooling.</summary>
    public Shape? InputShape { get; }
    /// <summary>True for the gradient form: pooled shape in, <see cref="InputShape"/> out.</summary>
    public bool Transposed => InputShape is not null;
    /// <inheritdoc/>
    public override string Name => Transposed ? "avg_pool2d_grad" : "avg_pool2d";
    internal override string Key => $"{Name}{Spec.Key}k{WindowHeight},{WindowWidth}{InputShape}";
    internal override string Format(string[] a) => $"{Name}({a[0]}, ksize=[{WindowHeight}, {WindowWidth}], {Spec.Describe})";

    /// <summary>
    /// Pooling: AveragePool on NCHW, count_include_pad = 0 (the padding not counted, as ours). The gradient: ȳ times the
    /// constant 1/count of each window, spread over the window by a per-channel ConvTranspose with a filter of ones,
    /// cut to the input's extent. float64 (AveragePool and ConvTranspose are float32 only in ONNX Runtime's CPU kernels):
    /// the window's taps summed (Sum) times 1/count, and the gradient's col2im of ȳ/count.
    /// </summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        var g = Geometry(node.Arg(0).Shape);
        if (node.DType == DType.Float64)
        {
            var inv = b.Constant(OnnxLayout.InverseCounts(g, node.DType));
            if (!Transposed)
            {
                var taps = OnnxLayout.Taps(b, a[0], g);
                return b.Node("Mul", [taps.Length == 1 ? taps[0] : b.Node("Sum", taps), inv]);
            }
            var share = b.Node("Mul", [a[0], inv]);
            return OnnxLayout.Col2Im(b, (_, _) => share, g);
        }
        if (!Transposed)
            return OnnxLayout.ToNhwc(b, b.Node("AveragePool", [OnnxLayout.ToNchw(b, a[0])],
                [.. OnnxLayout.Window(g, dilations: false), OnnxAttribute.Int("count_include_pad", 0)]));
        var scaled = OnnxLayout.ToNchw(b, b.Node("Mul", [a[0], b.Constant(OnnxLayout.InverseCounts(g, node.DType))]));
        var ones = Tensor.Ones(new Shape(g.C, 1, g.KH, g.KW), node.DType);
        var full = b.Node("ConvTranspose", [scaled, b.Constant(ones)], OnnxAttribute.Int("group", g.C),
            OnnxAttribute.Ints("kernel_shape", [g.KH, g.KW]), OnnxAttribute.Ints("strides", [g.SH, g.SW]));
        return OnnxLayout.ToNhwc(b, OnnxLayout.CropToInput(b, full, g));
    }

    private ConvGeometry Geometry(Shape arg)
    {
        var g = Pooling.Geometry(Name, Spec, WindowHeight, WindowWidth, InputShape ?? arg);
        if (Transposed && !g.OutputShape.Equals(arg))
            throw new ShapeException($"{Name}: average pooling {InputShape} gives {g.OutputShape}, but the gradient is {arg}");
        return g;
    }

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        var g = Geometry(args[0].Shape);
        return (Transposed ? g.InputShape : g.OutputShape, dt);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result) =>
        Geometry(args[0].Shape).Average<T>(args[0].Span<T>(), result.Span<T>(), Transposed);

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var g = Geometry(node.Arg(0).Shape);
        bool t = Transposed;
        return node.DType == DType.Float32
            ? new WindowStep<float>(args[0], null, result, 0, (x, _, y, _) => g.Average(x, y, t), Key)
            : new WindowStep<double>(args[0], null, result, 0, (x, _, y, _) => g.Average(x, y, t), Key);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) =>
        Primitive.Build(new AvgPool2DOp(Spec, WindowHeight, WindowWidth, Transposed ? null : y.Arg(0).Shape), g);

    internal override Expr Jvp(Apply y, Expr?[] t) => Primitive.Build(this, t[0]!);

    internal override Expr? Simplify(Expr[] a) => Ex.IsZero(a[0]) ? Ex.Zeros(Infer(a).Shape, a[0].DType) : null;
}

public static partial class Ex
{
    /// <summary>
    /// Average pooling, as <c>tf.nn.avg_pool2d(input, ksize, strides, padding)</c> on NHWC input; <paramref name="ksize"/>
    /// and <paramref name="strides"/> take 1, 2 or 4 values (strides default to ksize). With SAME padding each output
    /// averages only the elements inside the input, as TensorFlow does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A window size or stride below 1, or padding neither SAME nor VALID.</exception>
    public static Expr AvgPool2D(Expr input, int[] ksize, int[]? strides = null, string padding = "VALID")
    {
        var (spec, kh, kw) = Pooling.Parse(ksize, strides, padding);
        return Primitive.Build(new AvgPool2DOp(spec, kh, kw, null), input);
    }

    /// <summary>Average pooling with a square window; see <see cref="AvgPool2D(Expr, int[], int[], string)"/>.</summary>
    public static Expr AvgPool2D(Expr input, int ksize, int? strides = null, string padding = "VALID") =>
        AvgPool2D(input, [ksize], [strides ?? ksize], padding);
}
