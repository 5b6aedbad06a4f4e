using System.Globalization;

namespace FunctionalAD.Testing;

/// <summary>
/// Gradient checking, as torch's <c>gradcheck</c>/<c>gradgradcheck</c> and JAX's <c>check_grads</c>: the derivatives
/// FunctionalAD gives for your function (its rules, your custom rules) against central differences, entry by entry of
/// the Jacobian, in reverse mode (rows, by VJPs), forward mode (columns, by JVPs) or both, and to any order: order k
/// checks the derivative functions of order k - 1 (the VJP as a function of the point and the cotangent, the JVP as a
/// function of the point and the tangent) the same way. The function is evaluated in float64 whatever the inputs'
/// dtype (float32 inputs are widened), so the differences are accurate; only a function that cannot be built in float64
/// is checked in its own dtype, with wider steps and tolerances (<see cref="GradCheckOptions.For"/>).
/// </summary>
public static partial class GradCheck
{
    /// <summary>Checks f's first derivatives in both modes at <paramref name="at"/>; throws a <see cref="GradientCheckException"/> naming the worst entry.</summary>
    /// <param name="f">The function, of one expression per input.</param>
    /// <param name="at">The point: one tensor per input (integer inputs are held fixed).</param>
    public static void Assert(Func<Expr[], Expr> f, params Tensor[] at) => Run(f, at).ThrowIfFailed();

    /// <summary>Checks f's derivatives to <paramref name="order"/> in <paramref name="mode"/>; throws a <see cref="GradientCheckException"/> naming the worst entry.</summary>
    /// <param name="f">The function, of one expression per input.</param>
    /// <param name="at">The point: one tensor per input.</param>
    /// <param name="order">1 for the first derivatives, 2 to check the derivatives of the derivatives too, and so on.</param>
    /// <param name="mode">Reverse, forward or both.</param>
    /// <param name="options">Step, tolerances, seed, names.</param>
    public static void Assert(Func<Expr[], Expr> f, Tensor[] at, int order, CheckMode mode = CheckMode.Both, GradCheckOptions? options = null) =>
        Run(f, at, order, mode, options).ThrowIfFailed();

    /// <summary>Checks a function of one input; throws a <see cref="GradientCheckException"/> naming the worst entry.</summary>
    /// <param name="f">The function.</param>
    /// <param name="at">The point.</param>
    /// <param name="order">The highest order checked.</param>
    /// <param name="mode">Reverse, forward or both.</param>
    /// <param name="options">Step, tolerances, seed, names.</param>
    public static void Assert(Func<Expr, Expr> f, Tensor at, int order = 1, CheckMode mode = CheckMode.Both, GradCheckOptions? options = null) =>
        Run(f, at, order, mode, options).ThrowIfFailed();

    /// <summary>Checks a function of one input and returns the report.</summary>
    /// <param name="f">The function.</param>
    /// <param name="at">The point.</param>
    /// <param name="order">The highest order checked.</param>
    /// <param name="mode">Reverse, forward or both.</param>
    /// <param name="options">Step, tolerances, seed, names.</param>
    public static GradCheckReport Run(Func<Expr, Expr> f, Tensor at, int order = 1, CheckMode mode = CheckMode.Both, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(at);
        return Run(v => f(v[0]), new[] { at }, order, mode, options);
    }

    /// <summary>
    /// Compares f's derivatives with central differences at <paramref name="at"/> and returns what it found; never throws
    /// for a wrong derivative (see <see cref="GradCheckReport.ThrowIfFailed"/>), only for bad arguments or a function
    /// that cannot be built or evaluated there.
    /// </summary>
    /// <param name="f">The function, of one expression per input; its output may have any shape.</param>
    /// <param name="at">The point: one tensor per input (integer inputs are held fixed).</param>
    /// <param name="order">1 for the first derivatives, 2 to check the derivatives of the derivatives too, and so on.</param>
    /// <param name="mode">Reverse, forward or both.</param>
    /// <param name="options">Step, tolerances, seed, names.</param>
    public static GradCheckReport Run(Func<Expr[], Expr> f, Tensor[] at, int order = 1, CheckMode mode = CheckMode.Both, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(at);
        if (at.Length == 0) throw new ArgumentOutOfRangeException(nameof(at), "GradCheck: give the point, one tensor per input of f");
        for (int i = 0; i < at.Length; i++)
            if (at[i] is null) throw new ArgumentNullException(nameof(at), $"GradCheck: input {i} is null");
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), $"GradCheck: the order must be at least 1, got {order}");
        if (mode == 0 || (mode & ~CheckMode.Both) != 0)
            throw new ArgumentOutOfRangeException(nameof(mode), $"GradCheck: mode must be Reverse, Forward or both, got {mode}");
        options ??= GradCheckOptions.Default;
        options.Validate();
        var names = options.Names?.ToArray() ?? at.Select((_, i) => $"x{i}").ToArray();
        if (names.Length != at.Length)
            throw new ArgumentOutOfRangeException(nameof(options), $"GradCheck: {names.Length} names for {at.Length} inputs");
        if (!at.Any(t => t.DType.IsFloat()))
            throw new ArgumentOutOfRangeException(nameof(at), "GradCheck: no input is float32 or float64, so there is nothing to differentiate");

        var dtype = DType.Float64;
        try
        {
            Build(f, Widen(at, dtype), names);
        }
        catch (DTypeException) when (at.Any(t => t.DType == DType.Float32))
        {
            // The function mixes in float32 of its own (a float32 constant): check it in float32, as built.
            dtype = DType.Float32;
        }
        var run = new Checker(options, dtype, mode, order);
        var values = Widen(at, dtype);
        run.Check(1, "f", f, values, names);
        var signature = string.Join("; ", names.Zip(at, (n, t) => $"{n}{t.Shape} = [{Show(t.ToArray<double>())}]"));
        return run.Report(signature);
    }

    internal static Tensor[] Widen(Tensor[] at, DType dtype) => at.Select(t => t.DType.IsFloat() ? t.Cast(dtype) : t).ToArray();

    internal static (Var[] Vars, Expr Y) Build(Func<Expr[], Expr> f, Tensor[] at, string[] names)
    {
        var vars = at.Select((t, i) => (Var)Ex.Var(names[i], t.Shape, t.DType)).ToArray();
        var y = f(vars.Cast<Expr>().ToArray()) ?? throw new FunctionalADException("GradCheck: the function returned null");
        if (!y.DType.IsFloat())
            throw new FunctionalADException($"GradCheck: the function's output is {y.DType}; only float outputs have derivatives");
        return (vars, y);
    }

    /// <summary>An environment binding each variable to its value.</summary>
    internal static Env Bind(IReadOnlyList<Var> vars, IReadOnlyList<Tensor> values)
    {
        var env = Env.Empty;
        for (int i = 0; i < vars.Count; i++) env = env.Bind(vars[i], values[i]);
        return env;
    }

    internal static string Show(IEnumerable<double> v)
    {
        var a = v.ToArray();
        return string.Join(", ", a.Take(12).Select(x => x.ToString("G6", CultureInfo.InvariantCulture))) + (a.Length > 12 ? ", ..." : "");
    }

    internal static Tensor Make(double[] v, Shape shape, DType dtype) =>
        dtype == DType.Float64 ? Tensor.From(v, shape) : Tensor.From(v.Select(x => (float)x).ToArray(), shape);
}
