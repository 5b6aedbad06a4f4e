using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// The gradient of <see cref="Conv2DOp"/> with respect to its filters, as <c>tf.compat.v1.nn.conv2d_backprop_filter</c>:
/// f̄ = im2col(x)ᵀ · ȳ, shaped HWIO. Bilinear in (x, ȳ), and ⟨f̄, z̄⟩ = ⟨conv2d(x, z̄), ȳ⟩, so its VJP is
/// x̄ = <see cref="Conv2DBackpropInputOp"/>(ȳ, z̄) and ḡ = conv2d(x, z̄); its JVP is itself applied to each tangent.
/// </summary>
public sealed class Conv2DBackpropFilterOp : Primitive
{
    internal Conv2DBackpropFilterOp(ConvSpec spec, int kh, int kw) => (Spec, FilterHeight, FilterWidth) = (spec, kh, kw);
    internal ConvSpec Spec { get; }
    /// <summary>The filters' height.</summary>
    public int FilterHeight { get; }
    /// <summary>The filters' width.</summary>
    public int FilterWidth { get; }
    /// <inheritdoc/>
    public override string Name => "conv2d_backprop_filter";
    internal override string Key => $"conv2d_backprop_filter{Spec.Key}k{FilterHeight},{FilterWidth}";
    internal override string Format(string[] a) => $"conv2d_backprop_filter({a[0]}, [{FilterHeight}, {FilterWidth}], {a[1]}, {Spec.Describe})";

    /// <summary>
    /// f̄[kh,kw,c,o] = Σ x[n, oh·s − p + kh·d, …, c]·ȳ[n,oh,ow,o] is itself a Conv: the channels c as the batch, the batch n
    /// as the channels, ȳ as the filters, the stride and dilation swapped; its (c, o, kh, kw) result, cut to the filter
    /// size (VALID can leave more), is transposed to HWIO. float64: im2col(x)ᵀ · ȳ with MatMul, as the kernel computes
    /// it, since ONNX Runtime's CPU Conv is float32 only.
    /// </summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        var g = Geometry(node.Arg(0).Shape, node.Arg(1).Shape);
        if (node.DType == DType.Float64)
        {
            var col = b.Node("Reshape", [OnnxLayout.Im2Col(b, a[0], g), b.Int64s(g.Rows, g.Cols)]);
            var df = b.Node("MatMul", [b.Node("Transpose", [col], OnnxAttribute.Ints("perm", [1, 0])), b.Node("Reshape", [a[1], b.Int64s(g.Rows, g.O)])]);
            return b.Node("Reshape", [df, b.Int64s(g.KH, g.KW, g.C, g.O)]);
        }
        var byChannel = OnnxAttribute.Ints("perm", [3, 0, 1, 2]);
        var pads = OnnxLayout.Pads(g);
        var y = b.Node("Conv", [b.Node("Transpose", [a[0]], byChannel), b.Node("Transpose", [a[1]], byChannel)],
            OnnxAttribute.Ints("strides", [g.DH, g.DW]), OnnxAttribute.Ints("dilations", [g.SH, g.SW]), OnnxAttribute.Ints("pads", pads));
        int fullH = (g.H + pads[0] + pads[2] - (g.OH - 1) * g.SH - 1) / g.DH + 1;
        int fullW = (g.W + pads[1] + pads[3] - (g.OW - 1) * g.SW - 1) / g.DW + 1;
        if (fullH != g.KH || fullW != g.KW) y = b.Node("Slice", [y, b.Int64s(0, 0), b.Int64s(g.KH, g.KW), b.Int64s(2, 3)]);
        return b.Node("Transpose", [y], OnnxAttribute.Ints("perm", [2, 3, 0, 1]));
    }

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        var g = Geometry(args[0].Shape, args[1].Shape);
        return (new Shape(g.KH, g.KW, g.C, g.O), dt);
    }

    internal ConvGeometry Geometry(Shape x, Shape dy)
    {
        if (x.Rank != 4) throw new ShapeException($"conv2d_backprop_filter: input must be NHWC (rank 4), got {x}");
        if (dy.Rank != 4) throw new ShapeException($"conv2d_backprop_filter: the output gradient must be NHWC (rank 4), got {dy}");
        if (FilterHeight < 1 || FilterWidth < 1) throw new ShapeException($"conv2d_backprop_filter: filter size must be ≥ 1, got {FilterHeight}x{FilterWidth}");
        var g = Spec.Geometry("conv2d_backprop_filter", x[0], x[1], x[2], x[3], FilterHeight, FilterWidth, dy[3]);
        if (!g.OutputShape.Equals(dy))
            throw new ShapeException($"conv2d_backprop_filter: a convolution of {x} by {FilterHeight}x{FilterWidth} filters ({Spec.Describe}) gives {g.OutputShape}, but the output gradient is {dy}");
        return g;
    }

    internal static void Run<T>(ConvGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> df, T[] col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        g.Im2Col(x, col);
        Gemm.Multiply<T>(true, false, g.Cols, g.O, g.Rows, col, g.Cols, dy, g.O, df, g.O);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        var g = Geometry(args[0].Shape, args[1].Shape);
        Run<T>(g, args[0].Span<T>(), args[1].Span<T>(), result.Span<T>(), new T[g.Rows * g.Cols]);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var g = Geometry(node.Arg(0).Shape, node.Arg(1).Shape);
        var what = $"conv2d_backprop_filter im2col({g.Rows}x{g.Cols})ᵀ @ {g.Rows}x{g.O}";
        return node.DType == DType.Float32
            ? new WindowStep<float>(args[0], args[1], result, g.Rows * g.Cols, (a, b, y, s) => Run(g, a, b, y, s), what)
            : new WindowStep<double>(args[0], args[1], result, g.Rows * g.Cols, (a, b, y, s) => Run(g, a, b, y, s), what);
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => arg == 0
        ? Ex.Conv2DBackpropInput(y.Arg(1), g, Spec, y.Arg(0).Shape)
        : Ex.Conv2D(y.Arg(0), g, Spec);

    internal override Expr Jvp(Apply y, Expr?[] t)
    {
        Expr? r = t[0] is { } tx ? Ex.Conv2DBackpropFilter(tx, y.Arg(1), Spec, FilterHeight, FilterWidth) : null;
        if (t[1] is { } td) { var s = Ex.Conv2DBackpropFilter(y.Arg(0), td, Spec, FilterHeight, FilterWidth); r = r is null ? s : r + s; }
        return r!;
    }

    internal override Expr? Simplify(Expr[] a) =>
        Ex.IsZero(a[0]) || Ex.IsZero(a[1]) ? Ex.Zeros(Infer(a).Shape, a[0].DType) : null;
}

public static partial class Ex
{
    /// <summary>
    /// The gradient of <see cref="Conv2D(Expr, Expr, int[], string, int[])"/> with respect to its filters, as
    /// <c>tf.compat.v1.nn.conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding)</c>;
    /// <paramref name="filterSizes"/> is the HWIO filter shape (its channel entries must match the operands).
    /// </summary>
    public static Expr Conv2DBackpropFilter(Expr input, Shape filterSizes, Expr outBackprop, int[] strides, string padding, int[]? dilations = null)
    {
        ArgumentNullException.ThrowIfNull(filterSizes);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outBackprop);
        if (filterSizes.Rank != 4) throw new ShapeException($"conv2d_backprop_filter: filter sizes must be HWIO (rank 4), got {filterSizes}");
        var r = Conv2DBackpropFilter(input, outBackprop, ConvSpec.Parse(strides, padding, dilations), filterSizes[0], filterSizes[1]);
        if (!r.Shape.Equals(filterSizes))
            throw new ShapeException($"conv2d_backprop_filter: filter sizes {filterSizes} do not match the operands, which give {r.Shape}");
        return r;
    }

    internal static Expr Conv2DBackpropFilter(Expr input, Expr outBackprop, ConvSpec spec, int kh, int kw) =>
        Primitive.Build(new Conv2DBackpropFilterOp(spec, kh, kw), input, outBackprop);
}
