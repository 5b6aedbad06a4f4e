namespace FunctionalAD.Testing;

/// <summary>
/// Step, tolerances and randomness of a gradient check. Left unset, the step and tolerances follow the dtype the check
/// runs in (see <see cref="For"/>): float64 whenever the function builds with float64 inputs, as it does unless it
/// mixes in float32 constants of its own.
/// </summary>
public sealed record GradCheckOptions
{
    /// <summary>The default options.</summary>
    public static GradCheckOptions Default { get; } = new();

    /// <summary>Central-difference step h: the numeric derivative is (f(x + h) - f(x - h)) / 2h. Null: by dtype.</summary>
    public double? Step { get; init; }

    /// <summary>Relative tolerance rtol in |analytic - numeric| ≤ atol + rtol·|numeric|. Null: by dtype.</summary>
    public double? RelativeTolerance { get; init; }

    /// <summary>Absolute tolerance atol in |analytic - numeric| ≤ atol + rtol·|numeric|. Null: by dtype.</summary>
    public double? AbsoluteTolerance { get; init; }

    /// <summary>Seed of the random cotangents and tangents that higher orders differentiate along.</summary>
    public int Seed { get; init; }

    /// <summary>Names of the inputs in reports (x0, x1... when left out).</summary>
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>
    /// When true, the differences are also taken at step 2h; where the two disagree the point is within 2h of a kink or
    /// jump (or the function is too curved there) and the report says so (<see cref="GradCheckReport.Smooth"/> false)
    /// instead of counting a failure. A wrong rule does not make the two steps disagree, so this never hides one.
    /// <see cref="GradCheck.Property(Func{Expr, Expr}, Domain?, GradCheckOptions?)"/> turns it on and discards such points.
    /// </summary>
    public bool DetectKinks { get; init; }

    /// <summary>
    /// The defaults per dtype. float64: h = 1e-6, rtol = 1e-3, atol = 1e-5 (those of torch.autograd.gradcheck; the
    /// truncation error h² and the rounding error ε/h, with ε ≈ 2.2e-16, are both far below them). float32, used only when
    /// the function cannot be built in float64: h = 1e-2, rtol = 1e-2, atol = 1e-3 (ε ≈ 1.2e-7, so ε/h ≈ 1e-5).
    /// </summary>
    public static (double Step, double RelativeTolerance, double AbsoluteTolerance) For(DType dtype) => dtype switch
    {
        DType.Float64 => (1e-6, 1e-3, 1e-5),
        DType.Float32 => (1e-2, 1e-2, 1e-3),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), $"gradient checks run in float64 or float32, not {dtype}"),
    };

    internal (double Step, double Rtol, double Atol) Resolve(DType dtype)
    {
        var d = For(dtype);
        return (Step ?? d.Step, RelativeTolerance ?? d.RelativeTolerance, AbsoluteTolerance ?? d.AbsoluteTolerance);
    }

    internal void Validate()
    {
        if (Step is { } h && !(h > 0 && double.IsFinite(h)))
            throw new ArgumentOutOfRangeException(nameof(Step), $"GradCheckOptions: the step must be positive and finite, got {h}");
        if (RelativeTolerance is { } r && !(r >= 0 && double.IsFinite(r)))
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), $"GradCheckOptions: the relative tolerance must be ≥ 0, got {r}");
        if (AbsoluteTolerance is { } a && !(a >= 0 && double.IsFinite(a)))
            throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), $"GradCheckOptions: the absolute tolerance must be ≥ 0, got {a}");
    }
}
