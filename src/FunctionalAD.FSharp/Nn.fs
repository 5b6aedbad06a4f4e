namespace FunctionalAD.FSharp

open FunctionalAD

/// <summary>
/// Pipeline functions for the element-wise activations, scans and normalisations that TensorFlow keeps in
/// <c>tf.math</c> and <c>tf.nn</c>: <c>x |&gt; Nn.gelu |&gt; Nn.dropout 0.1 seed</c>. Parameters come first, the
/// expression last. F#'s own <c>atan2 y x</c> works on expressions directly.
/// </summary>
[<RequireQualifiedAccess>]
module Nn =

    /// <summary>log(1 + x), accurate for tiny x (<c>tf.math.log1p</c>).</summary>
    let log1p (x: Expr) : Expr = Ex.Log1p x

    /// <summary>eˣ - 1, accurate for tiny x (<c>tf.math.expm1</c>).</summary>
    let expm1 (x: Expr) : Expr = Ex.Expm1 x

    /// <summary>The error function (<c>tf.math.erf</c>).</summary>
    let erf (x: Expr) : Expr = Ex.Erf x

    /// <summary>Exact GELU, x·Φ(x) (<c>tf.nn.gelu</c>).</summary>
    let gelu (x: Expr) : Expr = Ex.Gelu(x)

    /// <summary>GELU's tanh approximation (<c>tf.nn.gelu(x, approximate=True)</c>).</summary>
    let geluApprox (x: Expr) : Expr = Ex.Gelu(x, true)

    /// <summary>x / (1 + |x|) (<c>tf.nn.softsign</c>).</summary>
    let softsign (x: Expr) : Expr = Ex.Softsign x

    /// <summary>x for x &gt; 0, α(eˣ - 1) otherwise (<c>tf.nn.elu</c> is α = 1).</summary>
    let elu (alpha: float) (x: Expr) : Expr = Ex.Elu(x, alpha)

    /// <summary>x for x &gt; 0, αx otherwise (<c>tf.nn.leaky_relu</c>; TensorFlow's default α is 0.2).</summary>
    let leakyRelu (alpha: float) (x: Expr) : Expr = Ex.LeakyRelu(x, alpha)

    /// <summary>log σ(x), stable at any magnitude (<c>tf.math.log_sigmoid</c>).</summary>
    let logSigmoid (x: Expr) : Expr = Ex.LogSigmoid x

    /// <summary>x clipped to [lo, hi]; the gradient passes on the closed interval (<c>tf.clip_by_value</c>).</summary>
    let clip (lo: float) (hi: float) (x: Expr) : Expr = Ex.ClipByValue(x, lo, hi)

    /// <summary>Cumulative sum along an axis (<c>tf.math.cumsum(x, axis)</c>).</summary>
    let cumsum (axis: int) (x: Expr) : Expr = Ex.CumSum(x, axis)

    /// <summary>Cumulative product along an axis (<c>tf.math.cumprod(x, axis)</c>); its gradient is exact through zeros.</summary>
    let cumprod (axis: int) (x: Expr) : Expr = Ex.CumProd(x, axis)

    /// <summary>Cumulative sum with TensorFlow's options: exclusive (leave xₖ out of yₖ) and reverse (run from the end).</summary>
    let cumsumWith (axis: int) (exclusive: bool) (reverse: bool) (x: Expr) : Expr = Ex.CumSum(x, axis, exclusive, reverse)

    /// <summary>Cumulative product with TensorFlow's options: exclusive and reverse.</summary>
    let cumprodWith (axis: int) (exclusive: bool) (reverse: bool) (x: Expr) : Expr = Ex.CumProd(x, axis, exclusive, reverse)

    /// <summary>Dropout while training (<c>tf.nn.dropout(x, rate, seed)</c>): the same seed gives the same mask everywhere.</summary>
    let dropout (rate: float) (seed: int64) (x: Expr) : Expr = Ex.Dropout(x, rate, seed)

    /// <summary>The population variance over the given axes (<c>tf.math.reduce_variance</c>).</summary>
    let variance (axes: int list) (x: Expr) : Expr = Ex.Variance(x, Array.ofList axes)

    /// <summary>Mean and variance over the given axes, as a pair (<c>tf.nn.moments</c>).</summary>
    let moments (axes: int list) (x: Expr) : Expr * Expr =
        let struct (m, v) = Ex.Moments(x, Array.ofList axes)
        m, v

    /// <summary>Layer normalization over the last axis with scale γ and offset β, ε = 1e-3 (Keras' <c>LayerNormalization()</c>).</summary>
    let layerNorm (gamma: Expr) (beta: Expr) (x: Expr) : Expr = Ex.LayerNormalization(x, gamma, beta)

    /// <summary>Each row (last axis) sorted ascending (<c>tf.sort</c>); the gradient scatters back through the permutation.</summary>
    let sort (x: Expr) : Expr = Ex.Sort(x)

    /// <summary>Each row (last axis) sorted descending (<c>tf.sort(x, direction='DESCENDING')</c>).</summary>
    let sortDescending (x: Expr) : Expr = Ex.Sort(x, true)

    /// <summary>The int32 indices sorting each row ascending, stably (<c>tf.argsort</c>).</summary>
    let argsort (x: Expr) : Expr = Ex.ArgSort(x)

    /// <summary>The int32 indices sorting each row descending, stably (<c>tf.argsort(x, direction='DESCENDING')</c>).</summary>
    let argsortDescending (x: Expr) : Expr = Ex.ArgSort(x, true)

    /// <summary>Each row (last axis) of v rearranged by the int32 permutation p: y[…, j] = v[…, p[…, j]].</summary>
    let permuteRows (p: Expr) (v: Expr) : Expr = Ex.PermuteRows(v, p)

    /// <summary>The inverse rearrangement, a scatter: y[…, p[…, j]] = v[…, j].</summary>
    let permuteRowsInverse (p: Expr) (v: Expr) : Expr = Ex.PermuteRows(v, p, true)

    /// <summary>The linear recurrence rₖ = aₖ·rₖ₋₁ + bₖ along an axis, r₋₁ = 0: <c>b |&gt; Nn.linearScan 0 a</c>.</summary>
    let linearScan (axis: int) (a: Expr) (b: Expr) : Expr = Ex.LinearScan(a, b, axis)

    /// <summary>The mask dropout multiplies by (1/(1 - rate) or 0), as a float32 tensor of the given shape.</summary>
    let dropoutMask (rate: float) (seed: int64) (dims: int list) : Tensor = Ex.DropoutMask(Shape(Array.ofList dims), rate, seed)

    /// <summary>Layer normalization over the given axes, γ and β of those axes' shape (Keras' <c>LayerNormalization(axis=[...])</c>).</summary>
    let layerNormOver (axes: int list) (gamma: Expr) (beta: Expr) (x: Expr) : Expr = Ex.LayerNormalization(x, gamma, beta, Array.ofList axes)

    // ---- convolution and pooling (tf.nn.conv2d, max_pool2d, ...): NHWC input last, HWIO filters ----

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
