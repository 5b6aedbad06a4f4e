using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// Σ, max, log Σ exp or √Σx² over any set of axes (those the fused kernels do not take): the interpreter's
/// reduction kernel (<see cref="Reduce"/>) with its index arithmetic worked out at compile time and its
/// scratch made once per workspace.
/// </summary>
internal sealed class ReduceStep<T>(Loc x, Shape xShape, int[] axes, Loc y, ReduceKind kind, string what) : Step
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReducePlan _plan = new(xShape, axes);

    public override object? CreateState() => _plan.ScratchSize(kind) > 0 ? new T[_plan.ScratchSize(kind)] : null;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws) =>
        Reduce.Run<T>(ws.Span<T>(x), ws.Span<T>(y), _plan, kind, ws.State[Index] is T[] s ? s : default);

    public override string Describe() => $"reduce {kind.ToString().ToLowerInvariant()} {x} -> {y}  [{what}]";
}
