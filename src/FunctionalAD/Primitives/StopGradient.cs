namespace FunctionalAD;

/// <summary>The identity on values that no derivative passes through: d stop_gradient(x) = 0.</summary>
public sealed class StopGradientOp : Primitive
{
    internal static readonly StopGradientOp Instance = new();
    /// <inheritdoc/>
    public override string Name => "stop_gradient";
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Identity", a);
    internal override (Shape Shape, DType DType) Infer(Expr[] args) => (args[0].Shape, args[0].DType);
    internal override void Forward(Tensor[] args, Tensor result) => Array.Copy(args[0].Data, result.Data, result.Size);
    internal override bool IsAlias => true;
    internal override int[]? ViewStrides(Apply node, int[] argStrides) => argStrides;
    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => StridedCopyStep.Contiguous(args[0], result, node.Shape, Key);
    internal override bool Differentiable(int arg) => false;
    internal override Expr Vjp(Apply y, int arg, Expr g) => Ex.ZerosLike(y.Arg(0));
    internal override Expr Jvp(Apply y, Expr?[] t) => Ex.ZerosLike(y);
    internal override Expr? Simplify(Expr[] a) => a[0] is Const or Apply { Op: StopGradientOp } ? a[0] : null;
}

public static partial class Ex
{
    /// <summary>x as a value, but a constant to every derivative.</summary>
    public static Expr StopGradient(Expr x) => Primitive.Build(StopGradientOp.Instance, x);
}
