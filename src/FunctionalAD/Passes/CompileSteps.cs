namespace FunctionalAD;

/// <summary>
/// The kernel step for a node that is not fused: the primitive's own compiled step
/// (<see cref="Primitive.CompileStep"/>), or, for a primitive that cannot compile, its interpreter kernel
/// wrapped as a <see cref="FallbackStep"/>.
/// </summary>
internal static class StepFactory
{
    public static Step For(Apply n, Func<Expr, Loc> locOf)
    {
        var dst = locOf(n);
        var args = n.Args.Select(locOf).ToArray();
        return n.Op.CompileStep(n, args, dst) ?? new FallbackStep(n, args, dst);
    }

    /// <summary>A contiguous copy of <paramref name="shape"/>'s elements.</summary>
    public static Step Copy(Loc src, Loc dst, Shape shape, string what) => StridedCopyStep.Contiguous(src, dst, shape, what);
}
