using Xunit;
using FunctionalAD;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Convolution and pooling against their definitions: a direct loop over an explicitly padded input (not im2col),
/// TensorFlow's SAME arithmetic worked by hand, tie and padding rules, errors, and allocation-free compiled training.
/// </summary>
public class ConvolutionTests
{
    // y[n,i,j,o] = Σ x[n, i·s - pt + kh·d, j·s - pl + kw·d, c] f[kh,kw,c,o] with pt = ⌊total/2⌋ (TF: odd pad at the end).
    private static double[] Direct(double[] x, int n, int h, int w, int c, double[] f, int kh, int kw, int o,
        int s, int d, bool same, out int oh, out int ow)
    {
        int eh = (kh - 1) * d + 1, ew = (kw - 1) * d + 1;
        oh = same ? (h + s - 1) / s : (h - eh) / s + 1;
        ow = same ? (w + s - 1) / s : (w - ew) / s + 1;
        int pt = same ? Math.Max((oh - 1) * s + eh - h, 0) / 2 : 0, pl = same ? Math.Max((ow - 1) * s + ew - w, 0) / 2 : 0;
        var y = new double[n * oh * ow * o];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int q = 0; q < o; q++)
                    {
                        double acc = 0;
                        for (int a = 0; a < kh; a++)
                            for (int e = 0; e < kw; e++)
                                for (int ch = 0; ch < c; ch++)
                                {
                                    int r = i * s - pt + a * d, t = j * s - pl + e * d;
                                    if (r < 0 || r >= h || t < 0 || t >= w) continue;
                                    acc += x[((b * h + r) * w + t) * c + ch] * f[((a * kw + e) * c + ch) * o + q];
                                }
                        y[((b * oh + i) * ow + j) * o + q] = acc;
                    }
        return y;
    }

    [Theory]
    [InlineData(1, 1, false)] [InlineData(1, 1, true)] [InlineData(2, 1, false)] [InlineData(2, 1, true)]
    [InlineData(1, 2, false)] [InlineData(1, 2, true)] [InlineData(2, 2, false)] [InlineData(2, 2, true)]
    public void Conv2d_equals_the_direct_sum(int stride, int dilation, bool same)
    {
        int n = 2, h = 7, w = 6, c = 3, kh = 3, kw = 2, o = 4;
        var xt = Tensor.RandomNormal(new Shape(n, h, w, c), seed: 1, dtype: DType.Float64);
        var ft = Tensor.RandomNormal(new Shape(kh, kw, c, o), seed: 2, dtype: DType.Float64);
        var expect = Direct(xt.ToArray<double>(), n, h, w, c, ft.ToArray<double>(), kh, kw, o, stride, dilation, same, out int oh, out int ow);
        var y = Conv2D(Const(xt), Const(ft), stride, same ? "SAME" : "VALID", dilation);
        Assert.Equal(new Shape(n, oh, ow, o), y.Shape);
        var got = y.Eval().ToArray<double>();
        for (int i = 0; i < expect.Length; i++) Assert.Equal(expect[i], got[i], 1e-12);
    }

    [Fact]
    public void Same_padding_puts_the_odd_zero_at_the_end_as_tensorflow()
    {
        // 4×4 input 0..15, 3×3 ones, stride 2: two outputs per axis, one zero of padding, and it goes after the input,
        // so the first window is rows/cols 0..2 and the second 2..3 (worked by hand from tf.nn.conv2d's rule).
        var x = Const(Tensor.From(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), new Shape(1, 4, 4, 1)));
        var f = Const(Tensor.Full(new Shape(3, 3, 1, 1), 1));
        Assert.Equal(new[] { 45f, 39f, 66f, 50f }, Conv2D(x, f, 2, "SAME").Eval().ToArray<float>());
    }

    [Fact]
    public void Conv1d_is_conv2d_over_a_row()
    {
        var x = Const(Tensor.From(new float[] { 1, 2, 3, 4, 5 }, new Shape(1, 5, 1)));
        var f = Const(Tensor.From(new float[] { 1, 0, -1 }, new Shape(3, 1, 1)));
        // y[j] = x[j] - x[j+2] (a cross-correlation, as in TensorFlow).
        Assert.Equal(new[] { -2f, -2f, -2f }, Conv1D(x, f).Eval().ToArray<float>());
        Assert.Equal(new Shape(1, 3, 1), Conv1D(x, f, 2, "SAME").Shape);
    }

    [Fact]
    public void Max_pool_gradient_goes_to_the_first_maximum_of_a_tie()
    {
        var x = Var("x", 1, 2, 2, 1);
        var g = Ad.Grad(Sum(MaxPool2D(x, 2)), x)[0];
        var v = Ad.Eval(new[] { g }, Env.Of((x, Tensor.From(new float[] { 3, 3, 3, 3 }, new Shape(1, 2, 2, 1)))))[0];
        Assert.Equal(new[] { 1f, 0f, 0f, 0f }, v.ToArray<float>());
    }

    [Fact]
    public void Pooling_with_same_padding_ignores_the_padding()
    {
        var x = Const(Tensor.Full(new Shape(1, 3, 3, 1), -1));
        // Averages count only real elements, so a constant stays constant; the max never sees the padding's zeros.
        Assert.All(AvgPool2D(x, 2, 2, "SAME").Eval().ToArray<float>(), v => Assert.Equal(-1f, v));
        Assert.All(MaxPool2D(x, 2, 2, "SAME").Eval().ToArray<float>(), v => Assert.Equal(-1f, v));
        Assert.Equal(new Shape(1, 2, 2, 1), MaxPool2D(x, 2, 2, "SAME").Shape);
    }

    [Fact]
    public void Second_derivatives_of_a_convolution_match_finite_differences_of_the_gradient()
    {
        var x = Var("x", new Shape(1, 5, 5, 2), DType.Float64);
        var f = Var("f", new Shape(3, 3, 2, 2), DType.Float64);
        Expr Loss(Expr z) => Sum(Tanh(Conv2D(z, f, 2, "SAME")));
        var gx = Ad.Grad(Loss(x), x)[0];
        var gf = Ad.Grad(Sum(gx * gx), f)[0];   // through conv2d_backprop_input's own VJP
        var xv = Tensor.RandomNormal(x.Shape, seed: 3, dtype: DType.Float64);
        var fv = Tensor.RandomNormal(f.Shape, seed: 4, dtype: DType.Float64);
        double Value(Tensor fs) => Ad.Eval(new[] { Sum(gx * gx) }, Env.Of((x, xv), (f, fs)))[0].ToArray<double>()[0];
        var analytic = Ad.Eval(new[] { gf }, Env.Of((x, xv), (f, fv)))[0].ToArray<double>();
        var fa = fv.ToArray<double>();
        for (int i = 0; i < fa.Length; i += 5)
        {
            double h = 1e-5, keep = fa[i];
            fa[i] = keep + h; double up = Value(Tensor.From(fa, f.Shape));
            fa[i] = keep - h; double down = Value(Tensor.From(fa, f.Shape));
            fa[i] = keep;
            Assert.Equal((up - down) / (2 * h), analytic[i], 1e-6);
        }
    }

    [Fact]
    public void A_compiled_cnn_step_runs_on_its_own_steps_and_allocates_nothing()
    {
        var x = Var("x", 8, 8, 8, 1);
        var f = Var("f", 3, 3, 1, 4);
        var loss = Sum(Tanh(AvgPool2D(MaxPool2D(Relu(Conv2D(x, f, 1, "SAME")), 2), 2, 1, "SAME")));
        var outs = new[] { loss }.Concat(Ad.Grad(loss, x, f)).ToArray();
        var c = Ad.Compile(outs, x, f);
        Assert.Empty(c.InterpretedSteps);
        var vals = new[] { Tensor.RandomNormal(x.Shape, seed: 1), Tensor.RandomNormal(f.Shape, seed: 2) };
        var o = c.CreateOutputs();
        for (int i = 0; i < 3; i++) c.Run(vals, o);
        var expect = Ad.Eval(outs, Env.Of((x, vals[0]), (f, vals[1])));
        for (int k = 0; k < outs.Length; k++)
        {
            var (e, g) = (expect[k].ToArray<float>(), o[k].ToArray<float>());
            for (int i = 0; i < e.Length; i++) Assert.Equal(e[i], g[i], 1e-4f);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) c.Run(vals, o);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Convolutions_print_with_their_parameters_as_text_and_latex()
    {
        var x = Var("x", 1, 5, 5, 2);
        var f = Var("f", 3, 3, 2, 4);
        var y = Conv2D(x, f, new[] { 2, 1 }, "SAME", new[] { 1, 2 });
        Assert.Equal("conv2d(x, f, strides=[2, 1], padding=SAME, dilations=[1, 2])", y.ToString());
        Assert.Equal("max_pool2d(x, ksize=[2, 2], strides=[2, 2], padding=VALID)", MaxPool2D(x, 2).ToString());
        Assert.Contains("conv2d", Latex.Print(y));
        Assert.Contains("conv2d_backprop_filter", Ad.Grad(Sum(y), f)[0].ToString());
    }

    [Fact]
    public void Bad_arguments_name_what_is_wrong()
    {
        var x = Var("x", 1, 4, 4, 2);
        var f = Var("f", 3, 3, 3, 1);
        Assert.Contains("2 channels", Assert.Throws<ShapeException>(() => Conv2D(x, f)).Message);
        Assert.Equal("padding", Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D(x, Var("g", 3, 3, 2, 1), 1, "FULL")).ParamName);
        Assert.Equal("strides", Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D(x, Var("g", 3, 3, 2, 1), 0)).ParamName);
        Assert.Equal("strides", Assert.Throws<ArgumentOutOfRangeException>(() => Conv2D(x, Var("g", 3, 3, 2, 1), new[] { 2, 1, 1, 1 }, "SAME")).ParamName);
        Assert.Contains("larger than the input", Assert.Throws<ShapeException>(() => Conv2D(x, Var("g", 5, 1, 2, 1))).Message);
        Assert.Contains("rank 4", Assert.Throws<ShapeException>(() => MaxPool2D(Var("v", 4, 4), 2)).Message);
        Assert.Equal("ksize", Assert.Throws<ArgumentOutOfRangeException>(() => AvgPool2D(x, 0)).ParamName);
    }
}
