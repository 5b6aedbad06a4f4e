using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>Tensors print as TensorFlow 2 prints them (with NumPy's number layout).</summary>
public class TensorPrintingTests
{
    [Fact]
    public void Scalars_print_like_tf()
    {
        Assert.Equal("tf.Tensor(2.0, shape=(), dtype=float32)", Tensor.Scalar(2f).ToString());
        Assert.Equal("tf.Tensor(2.5, shape=(), dtype=float64)", Tensor.Scalar(2.5).ToString());
        Assert.Equal("tf.Tensor(3, shape=(), dtype=int32)", Tensor.Scalar(3).ToString());
    }

    [Fact]
    public void Vectors_print_like_tf()
    {
        Assert.Equal("tf.Tensor([1. 2. 3.], shape=(3,), dtype=float32)", Tensor.From(new[] { 1f, 2f, 3f }).ToString());
        Assert.Equal("tf.Tensor([-1.  2.], shape=(2,), dtype=float32)", Tensor.From(new[] { -1f, 2f }).ToString());
        Assert.Equal("tf.Tensor([0.5  1.25], shape=(2,), dtype=float32)", Tensor.From(new[] { 0.5f, 1.25f }).ToString());
        Assert.Equal("tf.Tensor([2 0], shape=(2,), dtype=int32)", Tensor.From(new[] { 2, 0 }).ToString());
    }

    [Fact]
    public void Matrices_and_higher_ranks_print_like_tf()
    {
        Assert.Equal("tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)",
            Tensor.From(new[,] { { 1f, 2f }, { 3f, 4f } }).ToString());
        Assert.Equal("tf.Tensor(\n[[[1. 1.]]\n\n [[1. 1.]]], shape=(2, 1, 2), dtype=float32)",
            Tensor.Ones(new Shape(2, 1, 2)).ToString());
    }

    // NumPy prints whole floats as "k." right-aligned to the widest element.
    [Property(MaxTest = 100)]
    public Property Whole_number_vectors_align_like_numpy() => Prop.ForAll(
        Gen.NonEmptyListOf(Gen.Choose(-999, 999)).Select(l => l.ToArray()).ToArbitrary(),
        ks =>
        {
            var cells = ks.Select(k => k + ".").ToArray();
            int width = cells.Max(c => c.Length);
            var expected = $"tf.Tensor([{string.Join(" ", cells.Select(c => c.PadLeft(width)))}], shape=({ks.Length},), dtype=float32)";
            Assert.Equal(expected, Tensor.From(ks.Select(k => (float)k).ToArray()).ToString());
        });
}
