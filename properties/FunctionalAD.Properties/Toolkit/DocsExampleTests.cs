// The complete example test file of docs/gradcheck.md, kept here so the page's code is compiled and run.
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Testing;
using Xunit;
using static FunctionalAD.Ex;

namespace MyProject.Tests;

public class Log1pexpTests
{
    // log(1 + eˣ) with its derivative σ(x) as a custom rule.
    private static readonly Func<Expr, Expr> Log1pexp =
        Ad.CustomVjp((Expr x) => Log(1.0 + Exp(x)), (x, y, g) => g * Sigmoid(x), "log1pexp");

    // The same with a bug: the rule is twice too large for x > 1.
    private static readonly Func<Expr, Expr> Buggy =
        Ad.CustomVjp((Expr x) => Log(1.0 + Exp(x)), (x, y, g) => g * Where(Greater(x, 1.0), 2.0 * Sigmoid(x), Sigmoid(x)), "buggy");

    // One line: shapes and values are generated, every entry of the Jacobian is checked in both modes
    // where the mode exists (custom_vjp has no forward mode: the report says so and checks reverse).
    [Property(MaxTest = 100)]
    public Property Log1pexp_rule_matches_central_differences() => GradCheck.Property(Log1pexp, Domain.Bounded(-5, 5));

    // The second derivative too: the rule's own derivative against differences of the rule.
    [Fact]
    public void Log1pexp_second_derivative() =>
        GradCheck.Assert(Log1pexp, Tensor.From(new[] { -4.0, 0.0, 0.5, 4.0 }), order: 2, mode: CheckMode.Reverse);

    // The property finds the bug and FsCheck shrinks it to one scalar input in the region where the rule is wrong.
    [Fact]
    public void The_property_catches_the_buggy_rule()
    {
        var failure = Assert.ThrowsAny<Exception>(() =>
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), GradCheck.Property(Buggy, Domain.Bounded(-5, 5))));
        var shrunk = failure.Message[failure.Message.IndexOf("Shrunk:", StringComparison.Ordinal)..];
        Assert.Contains("x0() = [2]", shrunk);
        Assert.Contains("∂f[]/∂x0[] (input 0) is 1.76159 by the rules but 0.880797 by central differences", shrunk);
    }
}
