using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// The parameters of a 2-D window operation (convolution or pooling) over NHWC tensors, as TensorFlow takes them:
/// strides, dilations and "SAME" or "VALID" padding. SAME gives ⌈size/stride⌉ outputs and pads
/// max((out-1)·stride + (k-1)·dilation + 1 - size, 0) zeros, half ahead and the odd one behind, as TensorFlow does.
/// </summary>
internal sealed record ConvSpec(int StrideH, int StrideW, int DilationH, int DilationW, bool Same)
{
    public string Padding => Same ? "SAME" : "VALID";

    public string Key => $"s{StrideH},{StrideW}d{DilationH},{DilationW}{Padding}";

    public string Describe => $"strides=[{StrideH}, {StrideW}], padding={Padding}"
        + (DilationH != 1 || DilationW != 1 ? $", dilations=[{DilationH}, {DilationW}]" : "");

    /// <summary>Reads TensorFlow's arguments: 1, 2 or 4 strides/dilations (4 in NHWC order, batch and channel 1).</summary>
    public static ConvSpec Parse(int[] strides, string padding, int[]? dilations, string paramStrides = "strides", string paramDilations = "dilations")
    {
        ArgumentNullException.ThrowIfNull(strides, paramStrides);
        ArgumentNullException.ThrowIfNull(padding, nameof(padding));
        var (sh, sw) = Pair(strides, paramStrides);
        var (dh, dw) = dilations is null ? (1, 1) : Pair(dilations, paramDilations);
        bool same = padding.ToUpperInvariant() switch
        {
            "SAME" => true,
            "VALID" => false,
            _ => throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding must be \"SAME\" or \"VALID\""),
        };
        return new ConvSpec(sh, sw, dh, dw, same);
    }

    private static (int, int) Pair(int[] v, string name)
    {
        (int a, int b) p = v.Length switch
        {
            1 => (v[0], v[0]),
            2 => (v[0], v[1]),
            4 when v[0] == 1 && v[3] == 1 => (v[1], v[2]),
            4 => throw new ArgumentOutOfRangeException(name, $"{name}: the batch and channel entries of a 4-element {name} must be 1, got [{string.Join(", ", v)}]"),
            _ => throw new ArgumentOutOfRangeException(name, $"{name}: give 1, 2 or 4 values, got {v.Length}"),
        };
        if (p.a < 1 || p.b < 1) throw new ArgumentOutOfRangeException(name, $"{name} must be ≥ 1, got [{string.Join(", ", v)}]");
        return p;
    }

    /// <summary>Output size and leading padding along one axis; throws when VALID leaves no output.</summary>
    public (int Out, int PadBefore) Axis(string op, int size, int k, int stride, int dilation, string axis)
    {
        int span = (k - 1) * dilation + 1;
        if (Same)
        {
            int o = (size + stride - 1) / stride;
            int total = Math.Max((o - 1) * stride + span - size, 0);
            return (o, total / 2);
        }
        if (size < span)
            throw new ShapeException($"{op}: with VALID padding the window ({span} along {axis}, dilations included) is larger than the input ({size})");
        return ((size - span) / stride + 1, 0);
    }

    public ConvGeometry Geometry(string op, int n, int h, int w, int c, int kh, int kw, int o)
    {
        var (oh, pt) = Axis(op, h, kh, StrideH, DilationH, "height");
        var (ow, pl) = Axis(op, w, kw, StrideW, DilationW, "width");
        return new ConvGeometry(n, h, w, c, kh, kw, o, oh, ow, pt, pl, StrideH, StrideW, DilationH, DilationW);
    }
}

/// <summary>
/// The index arithmetic of one window operation, and the kernels built on it: im2col (each output position's
/// receptive field as a row, zeros where it falls in the padding), its adjoint col2im, and the pooling loops.
/// </summary>
internal sealed record ConvGeometry(int N, int H, int W, int C, int KH, int KW, int O, int OH, int OW,
    int PadTop, int PadLeft, int SH, int SW, int DH, int DW)
{
    /// <summary>Rows of the im2col matrix: one per output position.</summary>
    public int Rows => N * OH * OW;

    /// <summary>Columns of the im2col matrix: the receptive field, (kh, kw, c) with c fastest, matching HWIO filters.</summary>
    public int Cols => KH * KW * C;

    public Shape InputShape => new(N, H, W, C);
    public Shape OutputShape => new(N, OH, OW, O);

    /// <summary>col[(n,oh,ow), (kh,kw,c)] = x[n, oh·sh - pt + kh·dh, ow·sw - pl + kw·dw, c], zero outside.</summary>
    public void Im2Col<T>(ReadOnlySpan<T> x, Span<T> col) where T : unmanaged, INumberBase<T>
    {
        var gather = new GatherTap<T>(x, col, C);
        ForEachTap(ref gather);
    }

    /// <summary>The adjoint of <see cref="Im2Col{T}"/>: x = 0, then x[…] += col[…] for every in-bounds entry.</summary>
    public void Col2Im<T>(ReadOnlySpan<T> col, Span<T> x) where T : unmanaged, INumberBase<T>
    {
        x.Clear();
        var scatter = new ScatterAddTap<T>(col, x, C);
        ForEachTap(ref scatter);
    }

    /// <summary>
    /// One walk for im2col and its adjoint: for every output position (n, oh, ow) and kernel tap (kh, kw), in col's
    /// row-major order, the offset of the tap's C values in col and in x (-1 where the tap falls in the padding).
    /// </summary>
    private void ForEachTap<TTap>(ref TTap tap) where TTap : ITap, allows ref struct
    {
        int j = 0;
        for (int n = 0; n < N; n++)
            for (int oh = 0; oh < OH; oh++)
                for (int ow = 0; ow < OW; ow++)
                    for (int kh = 0; kh < KH; kh++)
                    {
                        int ih = oh * SH - PadTop + kh * DH;
                        for (int kw = 0; kw < KW; kw++, j += C)
                        {
                            int iw = ow * SW - PadLeft + kw * DW;
                            tap.Visit(j, (uint)ih < (uint)H && (uint)iw < (uint)W ? ((n * H + ih) * W + iw) * C : -1);
                        }
                    }
    }

    private interface ITap
    {
        void Visit(int colOffset, int xOffset);
    }

    private ref struct GatherTap<T>(ReadOnlySpan<T> x, Span<T> col, int c) : ITap where T : unmanaged, INumberBase<T>
    {
        private readonly ReadOnlySpan<T> _x = x;
        private readonly Span<T> _col = col;

        public readonly void Visit(int colOffset, int xOffset)
        {
            var dst = _col.Slice(colOffset, c);
            if (xOffset >= 0) _x.Slice(xOffset, c).CopyTo(dst);
            else dst.Clear();
        }
    }

    private ref struct ScatterAddTap<T>(ReadOnlySpan<T> col, Span<T> x, int c) : ITap where T : unmanaged, INumberBase<T>
    {
        private readonly ReadOnlySpan<T> _col = col;
        private readonly Span<T> _x = x;

        public readonly void Visit(int colOffset, int xOffset)
        {
            if (xOffset < 0) return;
            var dst = _x.Slice(xOffset, c);
            var src = _col.Slice(colOffset, c);
            for (int k = 0; k < c; k++) dst[k] += src[k];
        }
    }

    /// <summary>
    /// Max pooling and its derivatives through one loop. For every output element (n, oh, ow, c) it finds the first
    /// maximum of x's window in row-major window order (kh, then kw), skipping the padding, then: forward writes
    /// that maximum; gather writes v at that input position; scatter (the adjoint of gather) adds v[o] there.
    /// </summary>
    public void MaxRoute<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> v, Span<T> dst, MaxMode mode) where T : unmanaged, INumber<T>
    {
        if (mode == MaxMode.Scatter) dst.Clear();
        int o = 0;
        for (int n = 0; n < N; n++)
            for (int oh = 0; oh < OH; oh++)
                for (int ow = 0; ow < OW; ow++)
                    for (int c = 0; c < C; c++, o++)
                    {
                        int best = -1;
                        for (int kh = 0; kh < KH; kh++)
                        {
                            int ih = oh * SH - PadTop + kh * DH;
                            if ((uint)ih >= (uint)H) continue;
                            for (int kw = 0; kw < KW; kw++)
                            {
                                int iw = ow * SW - PadLeft + kw * DW;
                                if ((uint)iw >= (uint)W) continue;
                                int i = ((n * H + ih) * W + iw) * C + c;
                                // Strictly greater keeps the first maximum; a NaN wins so it propagates.
                                if (best < 0 || x[i] > x[best] || (T.IsNaN(x[i]) && !T.IsNaN(x[best]))) best = i;
                            }
                        }
                        // SAME pads less than a window, so every window holds a real element and best ≥ 0.
                        switch (mode)
                        {
                            case MaxMode.Forward: dst[o] = x[best]; break;
                            case MaxMode.Gather: dst[o] = v[best]; break;
                            default: dst[best] += v[o]; break;
                        }
                    }
    }

    /// <summary>
    /// Average pooling (or its adjoint when <paramref name="transpose"/>): each output is the mean of the window's
    /// in-bounds elements, so SAME padding divides by the count of real elements, as TensorFlow does.
    /// </summary>
    public void Average<T>(ReadOnlySpan<T> src, Span<T> dst, bool transpose) where T : unmanaged, INumberBase<T>
    {
        if (transpose) dst.Clear();
        int o = 0;
        for (int n = 0; n < N; n++)
            for (int oh = 0; oh < OH; oh++)
                for (int ow = 0; ow < OW; ow++, o += C)
                {
                    int h0 = Math.Max(oh * SH - PadTop, 0), h1 = Math.Min(oh * SH - PadTop + KH, H);
                    int w0 = Math.Max(ow * SW - PadLeft, 0), w1 = Math.Min(ow * SW - PadLeft + KW, W);
                    int count = Math.Max((h1 - h0) * (w1 - w0), 1);
                    T inv = T.One / T.CreateTruncating(count);
                    if (!transpose)
                    {
                        var acc = dst.Slice(o, C);
                        acc.Clear();
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++)
                            {
                                var s = src.Slice(((n * H + ih) * W + iw) * C, C);
                                for (int c = 0; c < C; c++) acc[c] += s[c];
                            }
                        for (int c = 0; c < C; c++) acc[c] *= inv;
                    }
                    else
                    {
                        var g = src.Slice(o, C);
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++)
                            {
                                var d = dst.Slice(((n * H + ih) * W + iw) * C, C);
                                for (int c = 0; c < C; c++) d[c] += g[c] * inv;
                            }
                    }
                }
    }
}

/// <summary>What <see cref="ConvGeometry.MaxRoute{T}"/> does at each window's first maximum.</summary>
internal enum MaxMode
{
    /// <summary>Writes the maximum of x: max pooling.</summary>
    Forward,
    /// <summary>Writes v at the position of the maximum (pooled shape): the JVP of max pooling.</summary>
    Gather,
    /// <summary>Adds v[o] at the position of the maximum (input shape): the VJP of max pooling.</summary>
    Scatter,
}

/// <summary>A window kernel over flat spans: one or two arguments, the result, and scratch of a length fixed at compile time.</summary>
internal delegate void WindowKernel<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result, T[] scratch);

/// <summary>
/// The compiled step of a window primitive: runs the same kernel as the interpreter on the workspace's storage,
/// with its scratch (the im2col matrix, argmax indices) made once per workspace, so steady-state calls allocate nothing.
/// </summary>
internal sealed class WindowStep<T>(Loc a, Loc? b, Loc dst, int scratch, WindowKernel<T> kernel, string what) : Step
    where T : unmanaged
{
    public override object? CreateState() => new T[scratch];

    public override void Run(Workspace ws) =>
        kernel(ws.Span<T>(a), b is { } bl ? ws.Span<T>(bl) : default, ws.Span<T>(dst), (T[])ws.State[Index]!);

    public override string Describe() => $"{what} {a}{(b is { } bl ? $", {bl}" : "")} -> {dst}";
}
