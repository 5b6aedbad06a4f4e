using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using FunctionalAD.Testing;
using Xunit;
using static FunctionalAD.Ex;
using TDomain = FunctionalAD.Testing.Domain;

namespace FunctionalAD.Properties.Toolkit;

/// <summary>The toolkit against the whole primitive table, and its FsCheck side: properties that find and shrink a wrong rule.</summary>
public class GradCheckPropertyTests
{
    public static TheoryData<string> RowNames => PrimitiveTableTests.RowNames;

    [Theory]
    [MemberData(nameof(RowNames))]
    public void The_toolkit_passes_every_row_of_the_primitive_table(string primitive)
    {
        var row = PrimitiveTable.Rows.Values.Single(r => r.Op.Name == primitive);
        var property = Prop.ForAll(row.Cases.ToArbitrary(), c =>
        {
            if (!c.Build().DType.IsFloat())
            {
                // An integer output (cast to int32) has no derivative to check: the toolkit says so.
                Assert.Contains("only float outputs", Assert.Throws<FunctionalADException>(() => GradCheck.Run(v => c.Build(), c.Values)).Message);
                return;
            }
            // The table's own step and tolerance (wider where a float32 cast rounds), as atol and rtol.
            var options = new GradCheckOptions { Step = c.Step, RelativeTolerance = 10 * c.Tolerance, AbsoluteTolerance = 10 * c.Tolerance };
            var mode = c.Kind == DerivativeKind.ReverseOnly ? CheckMode.Reverse : CheckMode.Both;
            var report = GradCheck.Run(v => c.Build(), c.Values, mode: mode, options: options with { Names = c.Vars.Select(v => v.Name).ToArray() });
            // stop_gradient is zero by definition although its value moves: the toolkit must say so, not pass it.
            if (c.Kind == DerivativeKind.ZeroByDefinition)
                Assert.True(report.Passed == (c.Values[0].Size == 0), report.ToString());
            else
                Assert.True(report.Passed, $"{c}\n{report}");
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25).WithQuietOnSuccess(true), property);
    }

    // sin with a rule twice too large where x > 1.
    private static readonly Func<Expr, Expr> WrongBeyondOne =
        Ad.CustomVjp((Expr x) => Sin(x), (x, y, g) => g * Where(Greater(x, 1.0), 2.0 * Cos(x), Cos(x)), "mysin");

    [Fact]
    public void A_wrong_rule_is_found_and_shrunk_to_one_simple_scalar_in_the_wrong_region()
    {
        var property = GradCheck.Property(WrongBeyondOne, TDomain.Any);
        var failure = Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property));
        var shrunk = failure.Message[failure.Message.IndexOf("Shrunk", StringComparison.Ordinal)..];
        // Shrunk to a scalar input with a short value beyond 1, where the rule is wrong.
        var m = Regex.Match(shrunk, @"x0\(\) = \[([-0-9.]+)\]");
        Assert.True(m.Success, shrunk);
        double x = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(x, 1.0001, 2);
        Assert.Equal(x, Math.Round(x, 1));
        Assert.Contains("by the rules but", failure.Message);
    }

    [Fact]
    public void A_correct_custom_rule_passes_its_property_on_a_domain()
    {
        var log1pexp = Ad.CustomVjp((Expr x) => Log(1.0 + Exp(x)), (x, y, g) => g * Sigmoid(x), "log1pexp");
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithQuietOnSuccess(true), GradCheck.Property(log1pexp, TDomain.Bounded(-5, 5)));
        var pow = (Func<Expr[], Expr>)(v => Pow(v[0], v[1]));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40).WithQuietOnSuccess(true),
            GradCheck.Property(pow, new[] { TDomain.Positive, TDomain.Any }, order: 2));
    }

    [Fact]
    public void Points_near_a_kink_are_discarded_not_failed()
    {
        // relu on a 0.001 grid that includes 0: those points are discarded; the rest pass.
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithQuietOnSuccess(true), GradCheck.Property(Relu, TDomain.Bounded(-0.01, 0.01)));
    }

    [Fact]
    public void Random_expressions_pass_to_order_two()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40).WithQuietOnSuccess(true),
            GradCheck.Property(Arbitraries.Expressions(inputs: 2, depth: 3), order: 2));
    }

    [Fact]
    public void Domains_keep_their_values_and_shrink_inside()
    {
        var away = TDomain.Any.AwayFrom(0.5, 1.0);
        var values = away.Element.Sample(200, 10);
        Assert.All(values, v => Assert.True(away.Contains(v) && Math.Abs(v - 1) >= 0.5, $"{v}"));
        Assert.All(TDomain.Positive.Shrink(2.718), v => Assert.True(TDomain.Positive.Contains(v)));
        Assert.Equal(new[] { 1.0, 2, 3 }, TDomain.Positive.Shrink(2.718).Where(v => v == Math.Round(v)).OrderBy(v => v));
        Assert.Empty(TDomain.Any.Shrink(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TDomain.Bounded(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TDomain.Bounded(-0.1, 0.1).AwayFrom(1, 0));
    }

    [Fact]
    public void Tensors_shrink_to_single_elements_first()
    {
        var t = Tensor.From(new[] { 0.5, 1.25, -1.5, 2.0 }, new Shape(2, 2));
        var first = Arbitraries.ShrinkTensor(t, TDomain.Any).Take(4).ToArray();
        Assert.All(first, s => Assert.Equal(Shape.Scalar, s.Shape));
        Assert.Equal(new[] { 0.5, 1.25, -1.5, 2.0 }, first.Select(s => s.ToScalar()));
        Assert.All(Arbitraries.Tensors(TDomain.Positive, maxRank: 3).Generator.Sample(50, 5), s => Assert.True(s.Rank <= 3 && s.ToArray<double>().All(v => v >= 0.3)));
    }
}
