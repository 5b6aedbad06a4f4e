using FunctionalAD;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties;

/// <summary>
/// Row-wise fused groups over short rows run columns first (<see cref="FusedShortRowsStep{T}"/>); these compile the
/// same programs both ways and require the same bits, over tile boundaries, odd row counts, both float types and
/// values with NaN and infinities, and that the row-major program is what runs when rows are a vector long.
/// </summary>
public class ColumnsFirstFusionTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var d = new TheoryData<int, int, int>();
        foreach (var cols in new[] { 2, 3, 7, 10, 15 })
            foreach (var rows in new[] { 1, 2, 5, 8, 103, 256, 409 })
                foreach (var dt in new[] { 0, 1 })
                    d.Add(rows, cols, dt);
        return d;
    }

    /// <summary>Softmax cross-entropy both ways it is written, with every gradient, a whole sum of a full value, row max and a bias column sum.</summary>
    private static (Expr[] Outputs, Var[] Inputs) Programs(int rows, int cols, DType dt)
    {
        var z = (Var)Var("z", new Shape(rows, cols), dt);
        var b = (Var)Var("b", new Shape(cols), dt);
        var y = (Var)Var("y", new Shape(rows), DType.Int32);
        var logits = z * 1.5 + b;
        var hand = Mean(-Sum(OneHot(y, cols, dt) * LogSoftmax(logits), 1));
        var keras = Mean(Losses.SparseCategoricalCrossentropy(y, logits, fromLogits: true));
        var other = Sum(Exp(logits - Max(logits, 1, keepDims: true)) * z) + Sum(Softmax(logits), 0)[0];
        var loss = hand + keras + other;
        return ([loss, Max(logits, 1), LogSumExp(logits, 1), .. Ad.Grad(loss, z, b)], [z, b, y]);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Columns_first_equals_the_row_major_program_bit_for_bit(int rows, int cols, int single)
    {
        var dt = single == 1 ? DType.Float32 : DType.Float64;
        var (outputs, inputs) = Programs(rows, cols, dt);
        var first = Compiler.Run(outputs, inputs);
        var major = Compiler.Run(outputs, inputs, columnsFirst: false);
        // A float32 domain of fewer than 16 elements runs as one register program (TileProgram), compared here too.
        bool oneRegister = single == 1 && TileProgram.Fits(rows, cols) && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        if (oneRegister) Assert.Contains("in one register", first.Describe());
        else if (Elementwise.IsShortRow<double>(cols) || single == 1) Assert.Contains("columns first", first.Describe());
        Assert.DoesNotContain("columns first", major.Describe());
        var random = new Random(rows * 31 + cols);
        var zv = Tensor.RandomNormal(new Shape(rows, cols), seed: rows + cols).Cast(dt);
        var bv = Tensor.RandomNormal(new Shape(cols), seed: 7).Cast(dt);
        var yv = Tensor.From(Enumerable.Range(0, rows).Select(_ => random.Next(cols)).ToArray());
        Same(major.Run(zv, bv, yv), first.Run(zv, bv, yv), first.Describe());

        // Specials: a NaN row, an infinite row, a row of -inf, signed zeros.
        var special = zv.ToArray<double>();
        special[0] = double.NaN;
        if (rows > 1) special[cols] = double.PositiveInfinity;
        if (rows > 2) for (int j = 0; j < cols; j++) special[2 * cols + j] = double.NegativeInfinity;
        if (rows > 3) { special[3 * cols] = -0.0; special[3 * cols + 1] = 0.0; }
        var sv = Tensor.From(special, new Shape(rows, cols)).Cast(dt);
        // The runtime's float64 vector exp changes other lanes' last bit when one lane is infinite, so which rows
        // share a vector matters there; float32 exp (widened, rounded once) hides it.
        Same(major.Run(sv, bv, yv), first.Run(sv, bv, yv), first.Describe(), rel: single == 1 ? 0 : 1e-12);
    }

    [Fact]
    public void Rows_a_vector_long_stay_row_major()
    {
        var (outputs, inputs) = Programs(40, 16, DType.Float32);
        Assert.DoesNotContain("columns first", Ad.Compile(outputs, inputs).Describe());
    }

    private static void Same(Tensor[] want, Tensor[] got, string plan, double rel = 0)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
        {
            double[] a = want[i].Cast(DType.Float64).ToArray<double>(), b = got[i].Cast(DType.Float64).ToArray<double>();
            for (int k = 0; k < a.Length; k++)
                // NaN matches NaN whatever its sign: where two NaNs meet in an addition, which one comes out is the
                // operand order the JIT chose, not a value (the one-register program's vector adds and the tiles'
                // scalar adds can differ there).
                Assert.True(BitConverter.DoubleToInt64Bits(a[k]) == BitConverter.DoubleToInt64Bits(b[k]) || (double.IsNaN(a[k]) && double.IsNaN(b[k]))
                    || (rel > 0 && Math.Abs(a[k] - b[k]) <= rel * (1 + Math.Abs(a[k]))),
                    $"output {i} element {k}: row-major {a[k]:R} ({BitConverter.DoubleToInt64Bits(a[k]):X}), columns first {b[k]:R} ({BitConverter.DoubleToInt64Bits(b[k]):X})\n{plan}");
        }
    }
}
