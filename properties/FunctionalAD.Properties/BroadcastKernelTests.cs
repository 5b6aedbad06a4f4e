using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using FunctionalAD.Properties.Support;

namespace FunctionalAD.Properties;

/// <summary>The strided broadcasting driver of binary element-wise kernels against a naive index loop over the scalar op.</summary>
public class BroadcastKernelTests
{
    private static readonly IReadOnlyList<(string Name, BinaryElementwise Op)> Ops = Catalogue.Instances<BinaryElementwise>();

    public sealed record BroadcastCase(string OpName, DType DType, Shape A, Shape B, int Seed)
    {
        public override string ToString() => $"{OpName} of {A} and {B} in {DType.Name()} (seed {Seed})";
    }

    private static Arbitrary<BroadcastCase> Cases() => Arb.From(
        from op in Gen.Elements(Ops.Select(o => o.Name).ToArray())
        from dtype in Gen.Elements(DType.Float32, DType.Float64)
        from target in Shapes.Of(0, 4, 4, allowEmpty: true)
        from a in Shapes.BroadcastingTo(target)
        from b in Shapes.BroadcastingTo(target)
        from seed in Gen.Choose(0, 1 << 30)
        select new BroadcastCase(op, dtype, a, b, seed));

    [Property(MaxTest = 100)]
    public Property Broadcast_kernel_equals_a_naive_loop() => Prop.ForAll(Cases(), c =>
    {
        var op = Ops.Single(o => o.Name == c.OpName).Op;
        if (c.DType == DType.Float32) Run<float>(op, c); else Run<double>(op, c);
    });

    private static void Run<T>(BinaryElementwise op, BroadcastCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double lo = op is PowOp ? 0.1 : -3;
        var a = Numerics.FromDoubles(Numerics.Mixed<double>(c.A.Size, c.Seed, lo, 3), c.A, c.DType);
        var b = Numerics.FromDoubles(Numerics.Mixed<double>(c.B.Size, c.Seed + 1, -3, 3), c.B, c.DType);
        var z = Primitive.Build(op, Ex.Const(a), Ex.Const(b)).Eval();
        var shape = Shape.TryBroadcast(c.A, c.B)!;
        if (z.Shape != shape) throw new PropertyFailure($"result shape {z.Shape}, expected {shape}");
        T[] av = a.ToArray<T>(), bv = b.ToArray<T>(), zv = z.ToArray<T>();
        var idx = new int[shape.Rank];
        for (int flat = 0; flat < shape.Size; flat++)
        {
            int rem = flat;
            for (int ax = shape.Rank - 1; ax >= 0; ax--) { idx[ax] = rem % shape[ax]; rem /= shape[ax]; }
            T expected = op.Op(av[Index(c.A, idx)], bv[Index(c.B, idx)]);
            bool same = zv[flat] == expected || (T.IsNaN(zv[flat]) && T.IsNaN(expected))
                || (op is PowOp && T.Abs(zv[flat] - expected) <= T.CreateTruncating(1e-6) * (T.One + T.Abs(expected)));
            if (!same) throw new PropertyFailure($"element {flat} is {zv[flat]}, expected {expected}");
        }
    }

    // The flat index into an operand of shape s broadcast against an output multi-index.
    private static int Index(Shape s, int[] outIndex)
    {
        int off = outIndex.Length - s.Rank, flat = 0;
        for (int i = 0; i < s.Rank; i++) flat = flat * s[i] + (s[i] == 1 ? 0 : outIndex[i + off]);
        return flat;
    }
}
