using FunctionalAD;
using FunctionalAD.Testing;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Properties.Toolkit;

/// <summary>GradCheck.Run and Assert: what they compare, what they report, and how they treat bad arguments.</summary>
public class GradCheckTests
{
    // sin with a rule that is right for x ≤ 1 and twice too large beyond: the bug the toolkit must find.
    private static readonly Func<Expr, Expr> WrongBeyondOne =
        Ad.CustomVjp((Expr x) => Sin(x), (x, y, g) => g * Where(Greater(x, 1.0), 2.0 * Cos(x), Cos(x)), "mysin");

    [Fact]
    public void A_correct_function_of_several_inputs_passes_in_both_modes_to_order_two()
    {
        var r = GradCheck.Run(v => Sum(Tanh(v[0]) * Exp(v[1]), 0),
            new[] { Tensor.From(new[] { 0.3, -1.2, 0.5, 0.1 }, new Shape(2, 2)), Tensor.From(new[] { 0.4, -0.7 }) },
            order: 2, mode: CheckMode.Reverse | CheckMode.Forward);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(DType.Float64, r.DType);
        // Order 1: f in both modes; order 2: vjp(f) and jvp(f), each in both modes.
        Assert.Equal(new[] { "f", "f", "vjp(f)", "vjp(f)", "jvp(f)", "jvp(f)" }, r.Checks.Select(c => c.Function));
        Assert.Equal(2 * 6, r.Checks[0].Entries);   // a 2-vector output by 6 input elements
        Assert.All(r.Checks, c => Assert.Equal(0, c.Failures));
    }

    [Fact]
    public void A_wrong_rule_is_reported_with_its_input_element_and_both_values()
    {
        var at = Tensor.From(new[] { 0.5, 1.5, -0.25 });
        var r = GradCheck.Run(WrongBeyondOne, at, mode: CheckMode.Reverse);
        Assert.False(r.Passed);
        var f = Assert.Single(r.Failures);
        Assert.Equal(("x0", 0), (f.InputName, f.Input));
        Assert.Equal(new[] { 1 }, f.InputIndex);
        Assert.Equal(new[] { 1 }, f.OutputIndex);
        Assert.Equal(2 * Math.Cos(1.5), f.Analytic, 12);
        Assert.Equal(Math.Cos(1.5), f.Numeric, 6);
        Assert.Equal(r.AbsoluteTolerance + r.RelativeTolerance * Math.Abs(f.Numeric), f.Allowed, 15);

        var e = Assert.Throws<GradientCheckException>(() => GradCheck.Assert(WrongBeyondOne, at));
        Assert.Same(e.Failure, e.Report.Failures[0]);
        Assert.Contains("∂f[1]/∂x0[1]", e.Message);
        Assert.Contains("0.141474", e.Message);   // 2 cos 1.5 by the rule
        Assert.Contains("0.0707372", e.Message);  // cos 1.5 by differences
        Assert.Contains("allowed", e.Message);
    }

    [Fact]
    public void A_rule_right_at_order_one_but_wrong_at_order_two_is_caught_at_order_two()
    {
        // The rule freezes x inside the cosine, so its own derivative is 0 instead of -sin x.
        var frozen = Ad.CustomVjp((Expr x) => Sin(x), (x, y, g) => g * Cos(StopGradient(x)), "frozen");
        var at = Tensor.From(new[] { 0.7 });
        Assert.True(GradCheck.Run(frozen, at, order: 1, mode: CheckMode.Reverse).Passed);
        var r = GradCheck.Run(frozen, at, order: 2, mode: CheckMode.Reverse);
        Assert.False(r.Passed);
        var f = r.Failures[0];
        Assert.Equal((2, CheckMode.Reverse, "vjp(f)", "x0"), (f.Order, f.Mode, f.Function, f.InputName));
        Assert.Equal(0.0, f.Analytic, 12);
    }

    [Fact]
    public void Forward_mode_is_checked_on_its_own_rule()
    {
        var wrongJvp = Ad.CustomJvp((Expr x) => Exp(x), (x, t) => 3.0 * t * Exp(x), "exp3");
        var at = Tensor.From(new[] { 0.2, -0.4 });
        var r = GradCheck.Run(wrongJvp, at, mode: CheckMode.Forward);
        Assert.Equal(2, r.Failures.Count);
        Assert.All(r.Failures, f => Assert.Equal(CheckMode.Forward, f.Mode));
        Assert.Single(r.Checks);
    }

    [Fact]
    public void Float32_inputs_are_checked_in_float64_unless_the_function_forbids_it()
    {
        var at = Tensor.From(new[] { 0.3f, 0.9f });
        var r = GradCheck.Run((Expr x) => Sum(x * x * x), at);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(DType.Float64, r.DType);
        Assert.Equal(1e-6, r.Step);

        // A float32 constant inside forces float32: checked as built, with float32's step and tolerances.
        var c = Const(Tensor.From(new[] { 2f, 3f }));
        var r32 = GradCheck.Run((Expr x) => Sum(x * c), at);
        Assert.True(r32.Passed, r32.ToString());
        Assert.Equal(DType.Float32, r32.DType);
        Assert.Equal(GradCheckOptions.For(DType.Float32), (r32.Step, r32.RelativeTolerance, r32.AbsoluteTolerance));
    }

    [Fact]
    public void Integer_inputs_are_held_fixed()
    {
        var r = GradCheck.Run(v => Sum(v[0] * Cast(v[1], DType.Float64)), new[] { Tensor.From(new[] { 1.0, 2.0 }), Tensor.From(new[] { 3, 4 }) });
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(2, r.Checks[0].Entries);
    }

    [Fact]
    public void The_report_prints_each_comparison_and_the_point()
    {
        var r = GradCheck.Run((Expr x) => Sum(Sin(x)), Tensor.From(new[] { 0.25 }), options: new GradCheckOptions { Names = new[] { "angle" } });
        var text = r.ToString();
        Assert.StartsWith("gradient check passed (float64, step 1E-06", text);
        Assert.Contains("angle(1,) = [0.25]", text);
        Assert.Contains("ok   order 1 reverse f: 1 entries", text);
        Assert.Contains("ok   order 1 forward f: 1 entries", text);
    }

    [Fact]
    public void Kinks_are_reported_as_unjudged_when_asked_not_as_failures()
    {
        var at = Tensor.From(new[] { 1e-7, 0.5 });
        Assert.False(GradCheck.Run((Expr x) => Abs(x), at).Passed);
        var r = GradCheck.Run((Expr x) => Abs(x), at, options: new GradCheckOptions { DetectKinks = true });
        Assert.True(r.Passed, r.ToString());
        Assert.False(r.Smooth);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_parameter_named()
    {
        var at = Tensor.From(new[] { 1.0 });
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => GradCheck.Run((Func<Expr[], Expr>)null!, new[] { at })).ParamName);
        Assert.Equal("at", Assert.Throws<ArgumentNullException>(() => GradCheck.Run((Expr[] v) => v[0], null!)).ParamName);
        Assert.Equal("at", Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Run((Expr[] v) => v[0], Array.Empty<Tensor>())).ParamName);
        Assert.Equal("order", Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Run(v => v[0], new[] { at }, order: 0)).ParamName);
        Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Run(v => v[0], new[] { at }, mode: 0)).ParamName);
        Assert.Equal("Step", Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Run(v => v[0], new[] { at }, options: new GradCheckOptions { Step = -1 })).ParamName);
        Assert.Equal("at", Assert.Throws<ArgumentOutOfRangeException>(() => GradCheck.Run(v => Cast(v[0], DType.Float32), new[] { Tensor.From(new[] { 1 }) })).ParamName);
        Assert.Contains("null", Assert.Throws<FunctionalADException>(() => GradCheck.Run(v => null!, new[] { at })).Message);
    }
}
