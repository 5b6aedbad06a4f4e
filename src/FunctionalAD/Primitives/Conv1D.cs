namespace FunctionalAD;

public static partial class Ex
{
    /// <summary>
    /// 1-D convolution, as <c>tf.nn.conv1d(input, filters, stride, padding, dilations=dilations)</c>: input NWC,
    /// filters WIO. As in TensorFlow it is a <see cref="Conv2D(Expr, Expr, int[], string, int[])"/> over a height-1
    /// image, built with reshapes, so its derivatives are those of conv2d.
    /// </summary>
    public static Expr Conv1D(Expr input, Expr filters, int stride = 1, string padding = "VALID", int dilations = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(filters);
        if (input.Rank != 3) throw new ShapeException($"conv1d: input must be NWC (rank 3), got {input.Shape}");
        if (filters.Rank != 3) throw new ShapeException($"conv1d: filters must be WIO (rank 3), got {filters.Shape}");
        var x = Reshape(input, new Shape(input.Shape[0], 1, input.Shape[1], input.Shape[2]));
        var f = Reshape(filters, new Shape(1, filters.Shape[0], filters.Shape[1], filters.Shape[2]));
        var y = Conv2D(x, f, [1, stride], padding, [1, dilations]);
        return Reshape(y, new Shape(y.Shape[0], y.Shape[2], y.Shape[3]));
    }
}
