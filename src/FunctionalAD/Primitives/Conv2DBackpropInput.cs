using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// The gradient of <see cref="Conv2DOp"/> with respect to its input, as <c>tf.nn.conv2d_transpose</c> (and
/// <c>tf.compat.v1.nn.conv2d_backprop_input</c>): x̄ = col2im(ȳ · fᵀ) for the NHWC input shape it was built for.
/// Bilinear in (ȳ, f) and the adjoint of conv2d in its input, so its VJP is ḡ = conv2d(z̄, f) and
/// f̄ = <see cref="Conv2DBackpropFilterOp"/>(z̄, ȳ); its JVP is itself applied to each tangent.
/// </summary>
public sealed class Conv2DBackpropInputOp : Primitive
{
    internal Conv2DBackpropInputOp(ConvSpec spec, Shape inputShape) => (Spec, InputShape) = (spec, inputShape);
    internal ConvSpec Spec { get; }
    /// <summary>The NHWC shape of the convolution input whose gradient this is (the result's shape).</summary>
    public Shape InputShape { get; }
    /// <inheritdoc/>
    public override string Name => "conv2d_backprop_input";
    internal override string Key => $"conv2d_backprop_input{Spec.Key}{InputShape}";
    internal override string Format(string[] a) => $"conv2d_backprop_input({InputShape}, {a[1]}, {a[0]}, {Spec.Describe})";

    /// <summary>
    /// ConvTranspose of ȳ (NCHW) by the filters read as (out, in) channels, unpadded, so it writes every window
    /// position; then the input's extent is cut from it (the leading pads dropped, rows no window reached zero).
    /// float64: ȳ · fᵀ with MatMul, then col2im, as the kernel computes it, since ONNX Runtime's CPU ConvTranspose is
    /// float32 only.
    /// </summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        var g = Geometry(node.Arg(0).Shape, node.Arg(1).Shape);
        if (node.DType == DType.Float64)
        {
            var col = b.Node("MatMul", [a[0], b.Node("Transpose", [b.Node("Reshape", [a[1], b.Int64s(g.Cols, g.O)])], OnnxAttribute.Ints("perm", [1, 0]))]);
            return OnnxLayout.Col2Im(b, (kh, kw) =>
            {
                long at = (kh * g.KW + kw) * g.C;
                return b.Node("Slice", [col, b.Int64s(at), b.Int64s(at + g.C), b.Int64s(3)]);
            }, g);
        }
        var full = b.Node("ConvTranspose", [OnnxLayout.ToNchw(b, a[0]), OnnxLayout.ToOihw(b, a[1])],
            OnnxAttribute.Ints("kernel_shape", [g.KH, g.KW]), OnnxAttribute.Ints("strides", [g.SH, g.SW]), OnnxAttribute.Ints("dilations", [g.DH, g.DW]));
        return OnnxLayout.ToNhwc(b, OnnxLayout.CropToInput(b, full, g));
    }

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        Geometry(args[0].Shape, args[1].Shape);
        return (InputShape, dt);
    }

    internal ConvGeometry Geometry(Shape dy, Shape f)
    {
        var x = InputShape;
        if (x.Rank != 4) throw new ShapeException($"conv2d_backprop_input: the input shape must be NHWC (rank 4), got {x}");
        if (dy.Rank != 4) throw new ShapeException($"conv2d_backprop_input: the output gradient must be NHWC (rank 4), got {dy}");
        if (f.Rank != 4) throw new ShapeException($"conv2d_backprop_input: filters must be HWIO (rank 4), got {f}");
        if (f[2] != x[3]) throw new ShapeException($"conv2d_backprop_input: input shape {x} has {x[3]} channels but filters {f} expect {f[2]}");
        var g = Spec.Geometry("conv2d_backprop_input", x[0], x[1], x[2], x[3], f[0], f[1], f[3]);
        if (!g.OutputShape.Equals(dy))
            throw new ShapeException($"conv2d_backprop_input: a convolution of {x} by {f} ({Spec.Describe}) gives {g.OutputShape}, but the output gradient is {dy}");
        return g;
    }

    internal static void Run<T>(ConvGeometry g, ReadOnlySpan<T> dy, ReadOnlySpan<T> f, Span<T> dx, T[] col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Gemm.Multiply(false, true, g.Rows, g.Cols, g.O, dy, g.O, f, g.O, col, g.Cols);
        g.Col2Im<T>(col, dx);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        var g = Geometry(args[0].Shape, args[1].Shape);
        Run<T>(g, args[0].Span<T>(), args[1].Span<T>(), result.Span<T>(), new T[g.Rows * g.Cols]);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var g = Geometry(node.Arg(0).Shape, node.Arg(1).Shape);
        var what = $"conv2d_backprop_input {g.Rows}x{g.O} @ ({g.Cols}x{g.O})ᵀ, col2im";
        return node.DType == DType.Float32
            ? new WindowStep<float>(args[0], args[1], result, g.Rows * g.Cols, (a, b, y, s) => Run(g, a, b, y, s), what)
            : new WindowStep<double>(args[0], args[1], result, g.Rows * g.Cols, (a, b, y, s) => Run(g, a, b, y, s), what);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => arg == 0
        ? Ex.Conv2D(g, y.Arg(1), Spec)
        : Ex.Conv2DBackpropFilter(g, y.Arg(0), Spec, y.Arg(1).Shape[0], y.Arg(1).Shape[1]);

    internal override Expr Jvp(Apply y, Expr?[] t)
    {
        Expr? r = t[0] is { } td ? Ex.Conv2DBackpropInput(td, y.Arg(1), Spec, InputShape) : null;
        if (t[1] is { } tf) { var s = Ex.Conv2DBackpropInput(y.Arg(0), tf, Spec, InputShape); r = r is null ? s : r + s; }
        return r!;
    }

    internal override Expr? Simplify(Expr[] a) =>
        Ex.IsZero(a[0]) || Ex.IsZero(a[1]) ? Ex.Zeros(InputShape, a[0].DType) : null;
}

public static partial class Ex
{
    /// <summary>
    /// The gradient of <see cref="Conv2D(Expr, Expr, int[], string, int[])"/> with respect to its input, as
    /// <c>tf.compat.v1.nn.conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding)</c>: the
    /// transposed convolution of <paramref name="outBackprop"/> (NHWC) by <paramref name="filters"/> (HWIO),
    /// with result shape <paramref name="inputShape"/>.
    /// </summary>
    public static Expr Conv2DBackpropInput(Shape inputShape, Expr filters, Expr outBackprop, int[] strides, string padding, int[]? dilations = null)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return Conv2DBackpropInput(outBackprop, filters, ConvSpec.Parse(strides, padding, dilations), inputShape);
    }

    /// <summary>
    /// Transposed convolution, as <c>tf.nn.conv2d_transpose(input, filters, output_shape, strides, padding)</c>:
    /// filters are (height, width, output channels, input channels) and the result has <paramref name="outputShape"/>.
    /// It is the gradient of a convolution of an <paramref name="outputShape"/> tensor by the same filters.
    /// </summary>
    public static Expr Conv2DTranspose(Expr input, Expr filters, Shape outputShape, int[] strides, string padding, int[]? dilations = null) =>
        Conv2DBackpropInput(outputShape, filters, input, strides, padding, dilations);

    internal static Expr Conv2DBackpropInput(Expr outBackprop, Expr filters, ConvSpec spec, Shape inputShape) =>
        Primitive.Build(new Conv2DBackpropInputOp(spec, inputShape), outBackprop, filters);
}
