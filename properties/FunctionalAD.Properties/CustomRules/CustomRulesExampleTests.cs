using FunctionalAD.Examples;
using Xunit;

namespace FunctionalAD.Properties.CustomRules;

/// <summary>examples/CustomRules runs, and prints what calculus and the rules say, not what the naive code gives.</summary>
public class CustomRulesExampleTests
{
    private static readonly string[] Lines = Capture();

    private static string[] Capture()
    {
        var w = new StringWriter();
        CustomRulesExample.Run(w);
        return w.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }

    private static string Line(string start) => Lines.Single(l => l.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public void The_naive_and_guarded_forms_break_at_100_and_the_custom_rule_does_not()
    {
        Assert.Equal("naive   log(1 + exp(x)) at 100: value Infinity, gradient NaN", Line("naive"));
        Assert.Equal("guarded where(x > 30, ...) at 100: value 100, gradient NaN", Line("guarded"));
        Assert.Equal("custom  log1pexp(x) at 100: value 100, gradient 1, second derivative 0", Line("custom"));
        Assert.Equal("        its gradient is sigmoid(x)", Line("        its gradient"));
        Assert.StartsWith("gradcheck of log1pexp to order 2: passed", Line("gradcheck"));
        Assert.Equal("compiled log1pexp at 100: value 100, gradient 1", Line("compiled"));
    }

    [Fact]
    public void The_clip_bounds_the_gradient_and_the_straight_through_estimator_passes_it()
    {
        // d/dw Σ w·c = c = [5, -0.5, -3], clipped to [-1, 1].
        Assert.EndsWith("value -5, gradient [1, -0.5, -1]", Line("clip"));
        // d/dw Σ (sign w - t)² through the identity: 2 (sign w - t) = 2 ([-1, 1, 1] - [1, -1, 1]); zero through sign itself.
        Assert.EndsWith("gradient [-4, 4, 0]; through plain sign: [0, 0, 0]", Line("ste"));
    }
}
