namespace FunctionalAD.FSharp

open FunctionalAD

/// <summary>
/// Convolution and pooling as in <c>tf.nn</c>, curried with the input last so layers pipe:
/// <c>x |&gt; Nn.conv2d 1 "SAME" filters |&gt; relu |&gt; Nn.maxPool2d 2 2 "VALID"</c>. Tensors are NHWC, filters HWIO;
/// padding is "SAME" or "VALID" with TensorFlow's arithmetic.
/// </summary>
module Nn =

    /// <summary>conv2d(x, f) with one stride for both axes: y[n,i,j,o] = Σ x[n, i·s + kh, j·s + kw, c] f[kh,kw,c,o] (padded).</summary>
    let conv2d (strides: int) (padding: string) (filters: Expr) (input: Expr) : Expr = Ex.Conv2D(input, filters, strides, padding)

    /// <summary>conv2d with per-axis strides and dilations (1, 2 or 4 values each, as <c>tf.nn.conv2d</c>).</summary>
    let conv2dWith (strides: int list) (padding: string) (dilations: int list) (filters: Expr) (input: Expr) : Expr =
        Ex.Conv2D(input, filters, Array.ofList strides, padding, Array.ofList dilations)

    /// <summary>The gradient of conv2d in its input (<c>tf.compat.v1.nn.conv2d_backprop_input</c>) for input shape <paramref name="inputShape"/>.</summary>
    let conv2dBackpropInput (inputShape: Shape) (strides: int list) (padding: string) (filters: Expr) (outBackprop: Expr) : Expr =
        Ex.Conv2DBackpropInput(inputShape, filters, outBackprop, Array.ofList strides, padding)

    /// <summary>The gradient of conv2d in its filters (<c>tf.compat.v1.nn.conv2d_backprop_filter</c>) for filter shape <paramref name="filterSizes"/>.</summary>
    let conv2dBackpropFilter (filterSizes: Shape) (strides: int list) (padding: string) (input: Expr) (outBackprop: Expr) : Expr =
        Ex.Conv2DBackpropFilter(input, filterSizes, outBackprop, Array.ofList strides, padding)

    /// <summary>Transposed convolution (<c>tf.nn.conv2d_transpose</c>): filters (h, w, out, in), result <paramref name="outputShape"/>.</summary>
    let conv2dTranspose (outputShape: Shape) (strides: int list) (padding: string) (filters: Expr) (input: Expr) : Expr =
        Ex.Conv2DTranspose(input, filters, outputShape, Array.ofList strides, padding)

    /// <summary>conv1d over NWC input with WIO filters (<c>tf.nn.conv1d</c>).</summary>
    let conv1d (stride: int) (padding: string) (filters: Expr) (input: Expr) : Expr = Ex.Conv1D(input, filters, stride, padding)

    /// <summary>Max pooling with a square window (<c>tf.nn.max_pool2d</c>); the gradient goes to each window's first maximum.</summary>
    let maxPool2d (ksize: int) (strides: int) (padding: string) (input: Expr) : Expr = Ex.MaxPool2D(input, ksize, strides, padding)

    /// <summary>Average pooling with a square window (<c>tf.nn.avg_pool2d</c>); SAME averages only real elements.</summary>
    let avgPool2d (ksize: int) (strides: int) (padding: string) (input: Expr) : Expr = Ex.AvgPool2D(input, ksize, strides, padding)
