namespace FunctionalAD;

/// <summary>
/// What the exports of several primitives share: NHWC ↔ NCHW transposes around ONNX's channel-first window operators,
/// a window's attributes with TensorFlow's SAME padding written as explicit (possibly asymmetric) pads, the
/// crop-or-pad that turns a transposed convolution's full output into the input's extent, and int32 ↔ int64 indices.
/// </summary>
internal static class OnnxLayout
{
    /// <summary>NHWC → NCHW.</summary>
    public static string ToNchw(IOnnxBuilder b, string x) => b.Node("Transpose", [x], OnnxAttribute.Ints("perm", [0, 3, 1, 2]));

    /// <summary>NCHW → NHWC.</summary>
    public static string ToNhwc(IOnnxBuilder b, string x) => b.Node("Transpose", [x], OnnxAttribute.Ints("perm", [0, 2, 3, 1]));

    /// <summary>HWIO filters → OIHW, the weight layout of Conv (and, read as (in, out), of ConvTranspose).</summary>
    public static string ToOihw(IOnnxBuilder b, string f) => b.Node("Transpose", [f], OnnxAttribute.Ints("perm", [3, 2, 0, 1]));

    /// <summary>
    /// ONNX pads [top, left, bottom, right]: the leading pads as the kernel takes them, the trailing ones what the last
    /// window reaches past the input (the odd element of SAME at the end, as TensorFlow pads; 0 for VALID).
    /// </summary>
    public static int[] Pads(ConvGeometry g) =>
        [g.PadTop, g.PadLeft,
         Math.Max((g.OH - 1) * g.SH + (g.KH - 1) * g.DH + 1 - g.H - g.PadTop, 0),
         Math.Max((g.OW - 1) * g.SW + (g.KW - 1) * g.DW + 1 - g.W - g.PadLeft, 0)];

    /// <summary>kernel_shape, strides, dilations and pads of a Conv or pooling node over <paramref name="g"/>'s window.</summary>
    public static OnnxAttribute[] Window(ConvGeometry g, bool dilations = true)
    {
        var list = new List<OnnxAttribute>
        {
            OnnxAttribute.Ints("kernel_shape", [g.KH, g.KW]),
            OnnxAttribute.Ints("strides", [g.SH, g.SW]),
            OnnxAttribute.Ints("pads", Pads(g)),
        };
        if (dilations) list.Add(OnnxAttribute.Ints("dilations", [g.DH, g.DW]));
        return list.ToArray();
    }

    /// <summary>
    /// The input-shaped result of a transposed window operation from its full NCHW output (every window position, no
    /// padding removed): rows and columns from the leading pads on, cut to the input's extent, and zeros appended for
    /// the rows and columns no window reached (VALID leaves them when the stride does not divide evenly).
    /// </summary>
    public static string CropToInput(IOnnxBuilder b, string full, ConvGeometry g)
    {
        int fullH = (g.OH - 1) * g.SH + (g.KH - 1) * g.DH + 1, fullW = (g.OW - 1) * g.SW + (g.KW - 1) * g.DW + 1;
        int endH = Math.Min(g.PadTop + g.H, fullH), endW = Math.Min(g.PadLeft + g.W, fullW);
        var y = b.Node("Slice", [full, b.Int64s(g.PadTop, g.PadLeft), b.Int64s(endH, endW), b.Int64s(2, 3)]);
        int missH = g.PadTop + g.H - endH, missW = g.PadLeft + g.W - endW;
        return missH == 0 && missW == 0 ? y : b.Node("Pad", [y, b.Int64s(0, 0, 0, 0, 0, 0, missH, missW)]);
    }

    /// <summary>TensorProto.DataType codes of the element types no DType has: INT64 (ONNX's index type) and BOOL.</summary>
    public const long Int64Code = 7, BoolCode = 9;

    /// <summary>
    /// The taps of a window over NHWC <paramref name="x"/>, in (kh, kw) order: for each, (N, OH, OW, C), the element
    /// each output position reads there, zero in the padding: one strided Slice of the zero-padded input per tap.
    /// The float64 road for window operators whose ONNX Runtime CPU kernels are float32 only (Conv, ConvTranspose,
    /// AveragePool).
    /// </summary>
    public static string[] Taps(IOnnxBuilder b, string x, ConvGeometry g)
    {
        var p = Pads(g);
        var xp = p.Any(v => v != 0) ? b.Node("Pad", [x, b.Int64s(0, p[0], p[1], 0, 0, p[2], p[3], 0)]) : x;
        var taps = new List<string>();
        for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++)
            {
                int h0 = kh * g.DH, w0 = kw * g.DW;
                taps.Add(b.Node("Slice", [xp, b.Int64s(h0, w0), b.Int64s(h0 + (g.OH - 1) * g.SH + 1, w0 + (g.OW - 1) * g.SW + 1),
                    b.Int64s(1, 2), b.Int64s(g.SH, g.SW)]));
            }
        return taps.ToArray();
    }

    /// <summary>im2col of NHWC <paramref name="x"/>: (N, OH, OW, KH·KW·C), the taps of <see cref="Taps"/> side by side.</summary>
    public static string Im2Col(IOnnxBuilder b, string x, ConvGeometry g)
    {
        var taps = Taps(b, x, g);
        return taps.Length == 1 ? taps[0] : b.Node("Concat", taps, OnnxAttribute.Int("axis", 3));
    }

    /// <summary>
    /// col2im, the adjoint of <see cref="Im2Col"/>: the NHWC input-shaped sum of each tap's block (N, OH, OW, C), every
    /// block spread to its strided positions (zeros interleaved by a Reshape and Pad), shifted to its tap's offset on a
    /// canvas that holds every window, summed, and cut to the input's extent.
    /// </summary>
    public static string Col2Im(IOnnxBuilder b, Func<int, int, string> block, ConvGeometry g)
    {
        int canvasH = g.OH * g.SH + (g.KH - 1) * g.DH, canvasW = g.OW * g.SW + (g.KW - 1) * g.DW;
        var placed = new List<string>();
        for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++)
            {
                var v = block(kh, kw);
                if (g.SH > 1 || g.SW > 1)
                {
                    v = b.Node("Reshape", [v, b.Int64s(g.N, g.OH, 1, g.OW, 1, g.C)]);
                    v = b.Node("Pad", [v, b.Int64s(0, 0, 0, 0, 0, 0, 0, 0, g.SH - 1, 0, g.SW - 1, 0)]);
                    v = b.Node("Reshape", [v, b.Int64s(g.N, g.OH * g.SH, g.OW * g.SW, g.C)]);
                }
                int top = kh * g.DH, left = kw * g.DW;
                placed.Add(b.Node("Pad", [v, b.Int64s(0, top, left, 0, 0, canvasH - top - g.OH * g.SH, canvasW - left - g.OW * g.SW, 0)]));
            }
        var sum = placed.Count == 1 ? placed[0] : b.Node("Sum", placed);
        return b.Node("Slice", [sum, b.Int64s(g.PadTop, g.PadLeft), b.Int64s(g.PadTop + g.H, g.PadLeft + g.W), b.Int64s(1, 2)]);
    }

    /// <summary>1/count of each pooling window's in-bounds elements, (1, OH, OW, 1), as the kernel divides.</summary>
    public static Tensor InverseCounts(ConvGeometry g, DType dtype)
    {
        var inv = new double[g.OH * g.OW];
        for (int oh = 0; oh < g.OH; oh++)
            for (int ow = 0; ow < g.OW; ow++)
            {
                int h0 = Math.Max(oh * g.SH - g.PadTop, 0), h1 = Math.Min(oh * g.SH - g.PadTop + g.KH, g.H);
                int w0 = Math.Max(ow * g.SW - g.PadLeft, 0), w1 = Math.Min(ow * g.SW - g.PadLeft + g.KW, g.W);
                inv[oh * g.OW + ow] = 1.0 / Math.Max((h1 - h0) * (w1 - w0), 1);
            }
        return Tensor.From(inv, new Shape(1, g.OH, g.OW, 1)).Cast(dtype);
    }

    /// <summary>int32 indices as the int64 that GatherND and ScatterND want.</summary>
    public static string ToInt64(IOnnxBuilder b, string i) => b.Node("Cast", [i], OnnxAttribute.Int("to", Int64Code));

    /// <summary>int64 positions (ArgMax, TopK, MaxPool indices) as our int32.</summary>
    public static string ToInt32(IOnnxBuilder b, string i) => b.Node("Cast", [i], OnnxAttribute.Int("to", b.TypeCode(DType.Int32)));

    /// <summary>An empty result: ONNX operators differ on zero-length axes, and there is nothing to compute.</summary>
    public static string Empty(IOnnxBuilder b, Apply node) => b.Constant(Tensor.Zeros(node.Shape, node.DType));

    /// <summary>
    /// The positions that order x's last axis stably, NaN above +∞ as our kernels have it, keeping the first
    /// <paramref name="k"/>: TopK (whose ties keep the lower position first) over x with NaN read as 0, then a second
    /// stable TopK of that order by "is NaN", which moves the NaNs to the front (<paramref name="largest"/>) or the back
    /// and keeps the order of everything else. int32 input has no NaN and takes one TopK. Returns int64 positions.
    /// </summary>
    public static string StableOrder(IOnnxBuilder b, string x, DType dtype, int n, int k, bool largest)
    {
        var dir = OnnxAttribute.Int("largest", largest ? 1 : 0);
        var sorted = OnnxAttribute.Int("sorted", 1);
        if (!dtype.IsFloat()) return b.Node("TopK", [x, b.Int64s(k)], 2, OnnxAttribute.Int("axis", -1), dir, sorted)[1];
        var nan = b.Node("IsNaN", [x]);
        var clean = b.Node("Where", [nan, b.Scalar(0, dtype), x]);
        var first = b.Node("TopK", [clean, b.Int64s(n)], 2, OnnxAttribute.Int("axis", -1), dir, sorted)[1];
        var flags = b.Node("GatherElements", [b.Node("Cast", [nan], OnnxAttribute.Int("to", b.TypeCode(dtype))), first], OnnxAttribute.Int("axis", -1));
        var second = b.Node("TopK", [flags, b.Int64s(k)], 2, OnnxAttribute.Int("axis", -1), dir, sorted)[1];
        return b.Node("GatherElements", [first, second], OnnxAttribute.Int("axis", -1));
    }
}
