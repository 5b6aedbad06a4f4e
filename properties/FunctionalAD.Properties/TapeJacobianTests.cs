using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>Jacobian and BatchJacobian through a tape, against derivatives worked out by hand.</summary>
public class TapeJacobianTests
{
    [Fact]
    public void Jacobian_of_an_elementwise_square_is_diagonal()
    {
        var x = Const(1.0, 2.0, 3.0);
        using var tape = new GradientTape();
        tape.Watch(x);
        var j = tape.Jacobian(x * x, x)!.Value;
        Assert.Equal(new Shape(3, 3), j.Shape);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(r == c ? 2.0 * (r + 1) : 0.0, j[r, c]);
    }

    [Fact]
    public void Jacobian_of_a_matrix_product_has_target_then_source_axes()
    {
        var a = Const(Tensor.From(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }, new Shape(2, 3)));
        var x = Const(Tensor.From(new[] { 0.5, -1.0, 2.0 }, new Shape(3, 1)));
        using var tape = new GradientTape();
        tape.Watch(x);
        var j = tape.Jacobian(MatMul(a, x), x)!.Value;
        Assert.Equal(new Shape(2, 1, 3, 1), j.Shape);
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(a.Eval()[r, c], j[r, 0, c, 0]);
    }

    [Fact]
    public void Jacobian_of_an_unconnected_source_is_null_or_zeros()
    {
        var x = Const(1.0, 2.0);
        var z = Const(5.0);
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        Assert.Null(tape.Jacobian(x * 2.0, z));
        var zeros = tape.Jacobian(x * 2.0, z, UnconnectedGradients.Zero)!.Value;
        Assert.Equal(new Shape(2), zeros.Shape);
        Assert.All(zeros.ToDoubleArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Jacobian_uses_up_a_non_persistent_tape()
    {
        var x = Const(1.0, 2.0);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = x * x;
        tape.Jacobian(y, x);
        Assert.Throws<TapeException>(() => tape.Gradient(y, x));
    }

    [Fact]
    public void BatchJacobian_gives_each_example_its_own_jacobian()
    {
        // y[b] = W x[b] with W 2x3, so dy[b]/dx[b] = W for every b; and z = x² gives diag(2 x[b]).
        var w = Const(Tensor.From(new[] { 1.0, 2.0, 3.0, -1.0, 0.0, 4.0 }, new Shape(2, 3)));
        var x = Const(Tensor.From(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0 }, new Shape(4, 3)));
        using var tape = new GradientTape(persistent: true);
        tape.Watch(x);
        var y = MatMul(x, w, transposeB: true);
        var j = tape.BatchJacobian(y, x)!.Value;
        Assert.Equal(new Shape(4, 2, 3), j.Shape);
        for (int b = 0; b < 4; b++)
            for (int r = 0; r < 2; r++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(w.Eval()[r, c], j[b, r, c]);
        var d = tape.BatchJacobian(x * x, x)!.Value;
        for (int b = 0; b < 4; b++)
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(r == c ? 2 * x.Eval()[b, c] : 0.0, d[b, r, c]);
    }

    [Fact]
    public void BatchJacobian_needs_a_shared_batch_dimension()
    {
        var x = Const(Tensor.Zeros(new Shape(3, 2), DType.Float64));
        using var tape = new GradientTape();
        tape.Watch(x);
        var e = Assert.Throws<ShapeException>(() => tape.BatchJacobian(Reshape(x, 2, 3), x));
        Assert.Contains("batch", e.Message);
    }
}
