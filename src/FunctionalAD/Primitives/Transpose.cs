namespace FunctionalAD;

/// <summary>Permutes axes: result axis i is input axis perm[i]. The VJP applies the inverse permutation.</summary>
public sealed class TransposeOp(int[] perm) : Primitive
{
    /// <summary>The permutation.</summary>
    public int[] Perm { get; } = perm;
    /// <inheritdoc/>
    public override string Name => "transpose";
    internal override (string Text, int Prec)? ToLatex(Apply e, Printed[] a) => e.Arg(0).Rank == 2 && Perm[0] == 1 ? ($"{Latex.Tight(a[0])}^{{\\top}}", Latex.Power) : null;
    internal override string Key => $"transpose[{string.Join(",", Perm)}]";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Transpose", a, OnnxAttribute.Ints("perm", Perm));

    internal override string Format(string[] a, Expr[] args) =>
        args[0].Rank == 2 && Perm[0] == 1 ? $"{a[0]}ᵀ" : $"transpose({a[0]}, [{string.Join(", ", Perm)}])";
    internal override int Precedence => Printer.Atom;
    internal override bool IsPostfix(int arg, Expr[] args) => args[0].Rank == 2 && Perm[0] == 1;

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var x = args[0];
        if (Perm.Length != x.Rank || !Perm.OrderBy(p => p).SequenceEqual(Enumerable.Range(0, x.Rank)))
            throw new AxisException($"transpose: [{string.Join(", ", Perm)}] is not a permutation of the {x.Rank} axes of {x.Shape}");
        return (new Shape(Perm.Select(p => x.Shape[p]).ToArray()), x.DType);
    }

    internal override void Forward(Tensor[] args, Tensor result)
    {
        var s = args[0].Shape.Strides();
        Layout.Gather(args[0], 0, Perm.Select(p => s[p]).ToArray(), result);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var s = node.Arg(0).Shape.Strides();
        return StridedCopyStep.For(result, false, Key, StridedCopyStep.MakeBlock(args[0], 0, Perm.Select(p => s[p]).ToArray(), 0, node.Shape.Strides(), node.Shape));
    }

    internal int[] Inverse()
    {
        var inv = new int[Perm.Length];
        for (int i = 0; i < Perm.Length; i++) inv[Perm[i]] = i;
        return inv;
    }

    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.Transpose(g, Inverse());
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.Transpose(t[0]!, Perm);

    internal override Expr? Simplify(Expr[] a)
    {
        if (Perm.Select((p, i) => p == i).All(b => b)) return a[0];
        if (a[0] is Apply { Op: TransposeOp inner } t) return Ex.Transpose(t.Arg(0), Perm.Select(p => inner.Perm[p]).ToArray());
        return null;
    }
}

public static partial class Ex
{
    /// <summary>x with its axes permuted; with no permutation, the axes reversed (a matrix transpose).</summary>
    public static Expr Transpose(Expr x, params int[]? perm)
    {
        NotNull(x, nameof(x), "transpose");
        perm = perm is null || perm.Length == 0 ? Enumerable.Range(0, x.Rank).Reverse().ToArray() : perm.Select(p => p < 0 ? p + x.Rank : p).ToArray();
        return Primitive.Build(new TransposeOp(perm), x);
    }
}
