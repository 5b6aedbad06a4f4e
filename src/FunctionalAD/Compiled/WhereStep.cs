using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// where(c, a, b) outside a fusion group (a condition of another dtype than the branches): each operand read
/// through a gather map worked out at compile time, so a call does no index arithmetic and allocates nothing.
/// </summary>
internal sealed class WhereStep<T>(Loc c, Loc a, Loc b, Loc dst, int[] ic, int[] ia, int[] ib, string what) : Step
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Step For(Apply node, Loc[] args, Loc dst)
    {
        var o = node.Shape;
        return new WhereStep<T>(args[0], args[1], args[2], dst,
            Strided.Offsets(node.Arg(0).Shape, o), Strided.Offsets(node.Arg(1).Shape, o), Strided.Offsets(node.Arg(2).Shape, o), node.Op.Key);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws)
    {
        switch (c.DType)
        {
            case DType.Float32: Run<float>(ws); break;
            case DType.Float64: Run<double>(ws); break;
            default: Run<int>(ws); break;
        }
    }

    private void Run<TC>(Workspace ws) where TC : unmanaged, INumberBase<TC>
    {
        var cv = ws.Span<TC>(c);
        var av = ws.Span<T>(a);
        var bv = ws.Span<T>(b);
        var d = ws.Span<T>(dst);
        for (int i = 0; i < d.Length; i++) d[i] = !TC.IsZero(cv[ic[i]]) ? av[ia[i]] : bv[ib[i]];
    }

    public override string Describe() => $"select {c} ? {a} : {b} -> {dst}  [{what}]";
}
