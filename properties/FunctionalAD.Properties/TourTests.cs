using System.Globalization;
using FunctionalAD.Examples;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>The README's tour runs, and the numbers it prints are the ones calculus gives.</summary>
public class TourTests
{
    private static readonly string Output = Capture();

    private static string Capture()
    {
        var w = new StringWriter();
        Tour.Run(w);
        return w.ToString();
    }

    private static string Line(string start) =>
        Output.Split('\n').Single(l => l.StartsWith(start, StringComparison.Ordinal));

    private static double[] Numbers(string text) =>
        text[(text.IndexOf("tf.Tensor(", StringComparison.Ordinal) + 10)..text.IndexOf(", shape", StringComparison.Ordinal)]
            .Trim('[', ']').Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void DerivativeOfSinXTimesXPrintsAsMathAndEvaluates()
    {
        Assert.Equal("f'(x)  = sin(x) + x * cos(x)", Line("f'(x)").TrimEnd('\r'));
        Assert.Equal(Math.Sin(2) + 2 * Math.Cos(2), Numbers(Line("f'(2)"))[0], 5);
    }

    [Fact]
    public void SecondDerivativeOfTanhMatchesClosedForm()
    {
        var got = Numbers(Line("grad² sum(tanh v)"));
        var expected = new[] { -1.0, 0, 1 }.Select(v => -2 * Math.Tanh(v) * (1 - Math.Tanh(v) * Math.Tanh(v)));
        Assert.Equal(expected, got, (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void JvpOfSumOfCubesAlongOnesIsThreeTimesSumOfSquares()
    {
        Assert.Equal(3 * (1 + 0 + 1), Numbers(Line("jvp of sum(v³)"))[0], 5);
    }

    [Fact]
    public void BiasGradientOfMeanCrossEntropySumsToZero()
    {
        var db = Numbers(Line("dloss/db   ="));
        Assert.Equal(3, db.Length);
        Assert.Equal(0, db.Sum(), 5);
    }
}
