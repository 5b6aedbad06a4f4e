using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// 2-D convolution as <c>tf.nn.conv2d</c> (strictly a cross-correlation, as in every framework): NHWC input x,
/// HWIO filters f, y[n,i,j,o] = Σ_{kh,kw,c} x[n, i·sh - pt + kh·dh, j·sw - pl + kw·dw, c] · f[kh,kw,c,o], zero outside.
/// It runs as im2col followed by one GEMM. Bilinear, so dy = conv(dx, f) + conv(x, df); the VJP is
/// x̄ = <see cref="Conv2DBackpropInputOp"/>(ȳ, f) and f̄ = <see cref="Conv2DBackpropFilterOp"/>(x, ȳ).
/// </summary>
public sealed class Conv2DOp : Primitive
{
    internal Conv2DOp(ConvSpec spec) => Spec = spec;
    internal ConvSpec Spec { get; }
    /// <summary>Strides along height and width.</summary>
    public (int Height, int Width) Strides => (Spec.StrideH, Spec.StrideW);
    /// <summary>Dilations along height and width.</summary>
    public (int Height, int Width) Dilations => (Spec.DilationH, Spec.DilationW);
    /// <summary>"SAME" or "VALID".</summary>
    public string Padding => Spec.Padding;
    /// <inheritdoc/>
    public override string Name => "conv2d";
    internal override string Key => "conv2d" + Spec.Key;
    internal override string Format(string[] a) => $"conv2d({a[0]}, {a[1]}, {Spec.Describe})";

    /// <summary>
    /// Conv on NCHW (transposes around it), SAME as explicit asymmetric pads, strides and dilations as given. float64:
    /// im2col and MatMul, as the kernel computes it, since ONNX Runtime's CPU Conv is float32 only.
    /// </summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        var g = Geometry(node.Arg(0).Shape, node.Arg(1).Shape);
        if (node.DType == DType.Float64)
            return b.Node("MatMul", [OnnxLayout.Im2Col(b, a[0], g), b.Node("Reshape", [a[1], b.Int64s(g.Cols, g.O)])]);
        return OnnxLayout.ToNhwc(b, b.Node("Conv", [OnnxLayout.ToNchw(b, a[0]), OnnxLayout.ToOihw(b, a[1])], OnnxLayout.Window(g)));
    }

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        return (Geometry(args[0].Shape, args[1].Shape).OutputShape, dt);
    }

    internal ConvGeometry Geometry(Shape x, Shape f)
    {
        if (x.Rank != 4) throw new ShapeException($"conv2d: input must be NHWC (rank 4), got {x}");
        if (f.Rank != 4) throw new ShapeException($"conv2d: filters must be HWIO (rank 4), got {f}");
        if (f[2] != x[3]) throw new ShapeException($"conv2d: input has {x[3]} channels but filters {f} expect {f[2]}");
        return Spec.Geometry("conv2d", x[0], x[1], x[2], x[3], f[0], f[1], f[3]);
    }

    // A 1×1 VALID convolution of stride 1 reads x as its own im2col matrix.
    private static bool Pointwise(ConvGeometry g) => g.Cols == g.C && g.OH == g.H && g.OW == g.W && g.PadTop == 0 && g.PadLeft == 0;

    internal static void Run<T>(ConvGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> f, Span<T> y, T[] col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> a = x;
        if (!Pointwise(g))
        {
            g.Im2Col(x, col);
            a = col;
        }
        Gemm.Multiply(false, false, g.Rows, g.O, g.Cols, a, g.Cols, f, g.O, y, g.O);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        var g = Geometry(args[0].Shape, args[1].Shape);
        Run<T>(g, args[0].Span<T>(), args[1].Span<T>(), result.Span<T>(), Pointwise(g) ? [] : new T[g.Rows * g.Cols]);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var g = Geometry(node.Arg(0).Shape, node.Arg(1).Shape);
        int scratch = Pointwise(g) ? 0 : g.Rows * g.Cols;
        var what = $"conv2d im2col {g.Rows}x{g.Cols} @ {g.Cols}x{g.O}";
        return node.DType == DType.Float32
            ? new WindowStep<float>(args[0], args[1], result, scratch, (x, f, y, s) => Run(g, x, f, y, s), what)
            : new WindowStep<double>(args[0], args[1], result, scratch, (x, f, y, s) => Run(g, x, f, y, s), what);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => arg == 0
        ? Ex.Conv2DBackpropInput(g, y.Arg(1), Spec, y.Arg(0).Shape)
        : Ex.Conv2DBackpropFilter(y.Arg(0), g, Spec, y.Arg(1).Shape[0], y.Arg(1).Shape[1]);

    internal override Expr Jvp(Apply y, Expr?[] t)
    {
        Expr? r = t[0] is { } tx ? Ex.Conv2D(tx, y.Arg(1), Spec) : null;
        if (t[1] is { } tf) { var s = Ex.Conv2D(y.Arg(0), tf, Spec); r = r is null ? s : r + s; }
        return r!;
    }

    internal override Expr? Simplify(Expr[] a) =>
        Ex.IsZero(a[0]) || Ex.IsZero(a[1]) ? Ex.Zeros(Infer(a).Shape, a[0].DType) : null;
}

public static partial class Ex
{
    /// <summary>
    /// 2-D convolution, as <c>tf.nn.conv2d(input, filters, strides, padding, dilations=dilations)</c>: input NHWC
    /// (batch, height, width, channels), filters HWIO (height, width, in-channels, out-channels).
    /// <paramref name="strides"/> and <paramref name="dilations"/> take 1, 2 or 4 values as TensorFlow does;
    /// <paramref name="padding"/> is "SAME" (⌈size/stride⌉ outputs, the odd padding element at the end) or "VALID".
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A stride or dilation below 1, or padding neither SAME nor VALID.</exception>
    /// <exception cref="ShapeException">Ranks other than 4, channel counts that differ, or a VALID window larger than the input.</exception>
    public static Expr Conv2D(Expr input, Expr filters, int[] strides, string padding, int[]? dilations = null) =>
        Conv2D(input, filters, ConvSpec.Parse(strides, padding, dilations));

    /// <summary>2-D convolution with one stride and dilation for both axes; see <see cref="Conv2D(Expr, Expr, int[], string, int[])"/>.</summary>
    public static Expr Conv2D(Expr input, Expr filters, int strides = 1, string padding = "VALID", int dilations = 1) =>
        Conv2D(input, filters, ConvSpec.Parse([strides], padding, [dilations]));

    internal static Expr Conv2D(Expr input, Expr filters, ConvSpec spec) => Primitive.Build(new Conv2DOp(spec), input, filters);
}
