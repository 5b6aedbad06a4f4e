using System.Globalization;
using System.Text;

namespace FunctionalAD.Testing;

/// <summary>
/// One Jacobian entry whose derivative disagrees with central differences: ∂ output[OutputIndex] / ∂ input[InputIndex]
/// of <see cref="Function"/> (the function itself at order 1, a derivative of it at higher orders).
/// </summary>
/// <param name="Order">1 for the function's own derivative, 2 for the derivative of a derivative, and so on.</param>
/// <param name="Mode">The mode whose derivative disagreed (reverse or forward).</param>
/// <param name="Function">What was differentiated: <c>f</c>, or <c>vjp(f)</c>, <c>jvp(f)</c> at higher orders.</param>
/// <param name="Input">Which input (0-based).</param>
/// <param name="InputName">The input's name.</param>
/// <param name="InputIndex">The element of the input (one index per axis).</param>
/// <param name="OutputIndex">The element of the output (one index per axis).</param>
/// <param name="Analytic">The derivative by the library (the rules).</param>
/// <param name="Numeric">The central difference.</param>
/// <param name="Allowed">The largest difference allowed: atol + rtol·|numeric|.</param>
public sealed record GradCheckFailure(
    int Order, CheckMode Mode, string Function, int Input, string InputName, int[] InputIndex, int[] OutputIndex,
    double Analytic, double Numeric, double Allowed)
{
    /// <summary>|analytic - numeric|.</summary>
    public double Error => Math.Abs(Analytic - Numeric);

    /// <inheritdoc/>
    public override string ToString() =>
        $"order {Order}, {Mode.ToString().ToLowerInvariant()} mode, {Function}: ∂{Function}{Index(OutputIndex)}/∂{InputName}{Index(InputIndex)} " +
        $"(input {Input}) is {Num(Analytic)} by the rules but {Num(Numeric)} by central differences; " +
        $"|difference| {Num(Error)} > allowed {Num(Allowed)}";

    internal static string Index(int[] index) => "[" + string.Join(", ", index) + "]";

    internal static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>One comparison that was made: a function (or derivative) in one mode, and how close it came.</summary>
/// <param name="Order">The order of the derivative compared.</param>
/// <param name="Mode">Reverse or forward.</param>
/// <param name="Function">What was differentiated.</param>
/// <param name="Entries">Number of Jacobian entries compared.</param>
/// <param name="MaxError">Largest |analytic - numeric| seen.</param>
/// <param name="Failures">Number of entries outside the tolerance.</param>
/// <param name="Unavailable">
/// Why this mode could not be checked, when the function has no derivative in it (a custom_vjp function has no forward
/// mode); only when both modes were asked for, so the other one was checked. Null when it was checked.
/// </param>
public sealed record GradCheckEntry(int Order, CheckMode Mode, string Function, int Entries, double MaxError, int Failures, string? Unavailable = null)
{
    /// <inheritdoc/>
    public override string ToString() => Unavailable is not null
        ? $"n/a  order {Order} {Mode.ToString().ToLowerInvariant(),-7} {Function}: {Unavailable}"
        : $"{(Failures == 0 ? "ok  " : "FAIL")} order {Order} {Mode.ToString().ToLowerInvariant(),-7} {Function}: {Entries} entries, " +
        $"max |difference| {GradCheckFailure.Num(MaxError)}{(Failures == 0 ? "" : $", {Failures} outside the tolerance")}";
}

/// <summary>
/// What a gradient check found: every comparison made (<see cref="Checks"/>), every disagreeing entry
/// (<see cref="Failures"/>, worst first), and the dtype, step and tolerances used. Prints as a readable summary.
/// </summary>
public sealed class GradCheckReport
{
    internal GradCheckReport(DType dtype, double step, double rtol, double atol, bool smooth,
        IReadOnlyList<GradCheckEntry> checks, IReadOnlyList<GradCheckFailure> failures, string signature)
    {
        DType = dtype;
        Step = step;
        RelativeTolerance = rtol;
        AbsoluteTolerance = atol;
        Smooth = smooth;
        Checks = checks;
        Failures = failures;
        Signature = signature;
    }

    /// <summary>True when every compared entry is within the tolerance.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>
    /// False when, with <see cref="GradCheckOptions.DetectKinks"/>, the differences at h and 2h disagreed somewhere: the
    /// point is too close to a kink to judge, and the entries there were not counted as failures.
    /// </summary>
    public bool Smooth { get; }

    /// <summary>The dtype the function and its derivatives were evaluated in (float64 unless the function forbids it).</summary>
    public DType DType { get; }

    /// <summary>The central-difference step used.</summary>
    public double Step { get; }

    /// <summary>The relative tolerance used.</summary>
    public double RelativeTolerance { get; }

    /// <summary>The absolute tolerance used.</summary>
    public double AbsoluteTolerance { get; }

    /// <summary>Every comparison made, in order.</summary>
    public IReadOnlyList<GradCheckEntry> Checks { get; }

    /// <summary>Every disagreeing entry, the worst (largest error over allowed) first.</summary>
    public IReadOnlyList<GradCheckFailure> Failures { get; }

    /// <summary>The inputs as checked: names, shapes and values.</summary>
    public string Signature { get; }

    /// <summary>Throws a <see cref="GradientCheckException"/> carrying this report unless it passed.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed) throw new GradientCheckException(this);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var b = new StringBuilder();
        b.Append(Passed ? "gradient check passed" : $"gradient check FAILED: {Failures.Count} entr{(Failures.Count == 1 ? "y disagrees" : "ies disagree")}");
        b.Append(CultureInfo.InvariantCulture, $" ({DType.ToString().ToLowerInvariant()}, step {GradCheckFailure.Num(Step)}, ");
        b.Append(CultureInfo.InvariantCulture, $"|analytic - numeric| ≤ {GradCheckFailure.Num(AbsoluteTolerance)} + {GradCheckFailure.Num(RelativeTolerance)}·|numeric|)");
        if (!Smooth) b.Append("; the point is within 2h of a kink, entries there were not judged");
        b.Append('\n').Append("  at ").Append(Signature);
        foreach (var c in Checks) b.Append("\n  ").Append(c);
        foreach (var f in Failures.Take(10)) b.Append("\n  ").Append(f);
        if (Failures.Count > 10) b.Append(CultureInfo.InvariantCulture, $"\n  ... and {Failures.Count - 10} more");
        return b.ToString();
    }
}

/// <summary>
/// A gradient check failed. The message names the first (worst) failing entry: which input and element, the analytic and
/// numeric values and the tolerance; <see cref="Report"/> has them all.
/// </summary>
public sealed class GradientCheckException : FunctionalADException
{
    /// <summary>The full report.</summary>
    public GradCheckReport Report { get; }

    /// <summary>The worst failing entry.</summary>
    public GradCheckFailure Failure => Report.Failures[0];

    /// <summary>An exception for a failed <paramref name="report"/>.</summary>
    public GradientCheckException(GradCheckReport report)
        : base((report ?? throw new ArgumentNullException(nameof(report))).Passed
            ? throw new ArgumentException("GradientCheckException: the report passed", nameof(report))
            : $"{report.Failures[0]}\n{report}") => Report = report;
}
