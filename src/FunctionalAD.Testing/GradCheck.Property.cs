using FsCheck;
using FsCheck.Fluent;

namespace FunctionalAD.Testing;

public static partial class GradCheck
{
    /// <summary>
    /// The gradient check of a one-input function as an FsCheck property: generated shapes and values in
    /// <paramref name="domain"/> (<see cref="Domain.Any"/> by default), each checked by <see cref="Run(Func{Expr, Expr}, Tensor, int, CheckMode, GradCheckOptions?)"/>;
    /// a failure throws a <see cref="GradientCheckException"/> and shrinks to a small point (a scalar if one fails).
    /// Points within 2h of a kink are discarded, not failed. Run it with <c>Check.One</c> or return it from an
    /// <c>[Property]</c> test.
    /// </summary>
    /// <param name="f">The function.</param>
    /// <param name="domain">Where the values lie.</param>
    /// <param name="options">Step, tolerances, seed.</param>
    public static Property Property(Func<Expr, Expr> f, Domain? domain = null, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Property(v => f(v[0]), Arbitraries.Points(new[] { domain ?? Domain.Any }), options);
    }

    /// <summary>
    /// The gradient check of a function of several inputs as an FsCheck property: one generated shape shared by all
    /// inputs, input i with values in <paramref name="domains"/>[i].
    /// </summary>
    /// <param name="f">The function.</param>
    /// <param name="domains">One domain per input.</param>
    /// <param name="options">Step, tolerances, seed.</param>
    /// <param name="order">The highest order checked.</param>
    /// <param name="mode">Reverse, forward or both.</param>
    public static Property Property(Func<Expr[], Expr> f, Domain[] domains, GradCheckOptions? options = null, int order = 1, CheckMode mode = CheckMode.Both)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Property(f, Arbitraries.Points(domains), options, order, mode);
    }

    /// <summary>The gradient check as an FsCheck property over points of your own generator (see <see cref="Arbitraries"/>).</summary>
    /// <param name="f">The function.</param>
    /// <param name="points">The points, with their shrinking.</param>
    /// <param name="options">Step, tolerances, seed.</param>
    /// <param name="order">The highest order checked.</param>
    /// <param name="mode">Reverse, forward or both.</param>
    public static Property Property(Func<Expr[], Expr> f, Arbitrary<Point> points, GradCheckOptions? options = null, int order = 1, CheckMode mode = CheckMode.Both)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(points);
        var o = (options ?? GradCheckOptions.Default) with { DetectKinks = true };
        return Prop.ForAll(points, p => Holds(f, p, o, order, mode));
    }

    /// <summary>Gradient checks of random expressions (see <see cref="Arbitraries.Expressions"/>): every generated function's derivatives must match.</summary>
    /// <param name="expressions">The expressions.</param>
    /// <param name="options">Step, tolerances, seed.</param>
    /// <param name="order">The highest order checked.</param>
    /// <param name="mode">Reverse, forward or both.</param>
    public static Property Property(Arbitrary<RandomExpression> expressions, GradCheckOptions? options = null, int order = 1, CheckMode mode = CheckMode.Both)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        var o = (options ?? GradCheckOptions.Default) with { DetectKinks = true };
        return Prop.ForAll(expressions, e => Holds(e.Function, e.Point, o, order, mode));
    }

    private static void Holds(Func<Expr[], Expr> f, Point p, GradCheckOptions o, int order, CheckMode mode)
    {
        var report = Run(f, p.Inputs.ToArray(), order, mode, o with { Names = p.Names });
        if (!report.Passed) throw new GradientCheckException(report);
        if (!report.Smooth) Prop.Discard<int>();
    }
}
