namespace FunctionalAD;

/// <summary>
/// Converts the element type. Between float types the derivative is cast back: d cast(x) = cast(dx).
/// To or from int32 no derivative passes.
/// </summary>
public sealed class CastOp(DType to) : Primitive
{
    /// <summary>The target dtype.</summary>
    public DType To { get; } = to;
    /// <inheritdoc/>
    public override string Name => "cast";
    internal override string Key => $"cast<{To.Name()}>";
    internal override bool SameParameters(Primitive other) => other is CastOp c && c.To == To;
    internal override string Export(IOnnxBuilder b, Apply node, string[] a) => b.Node("Cast", a, OnnxAttribute.Int("to", b.TypeCode(To)));
    internal override string Format(string[] a) => $"cast({a[0]}, {To.Name()})";
    internal override (Shape Shape, DType DType) Infer(Expr[] args) => (args[0].Shape, To);
    internal override void Forward(Tensor[] args, Tensor result)
    {
        var cast = args[0].Cast(To);
        Array.Copy(cast.Data, result.Data, result.Size);
        GC.KeepAlive(cast);  // its storage may be pooled (ResultPool): not recycled before the copy ends
    }
    internal override Step? CompileStep(Apply node, Loc[] args, Loc result) => new CastStep(args[0], result);
    private static bool Carries(DType from, DType to) => from.IsFloat() && to.IsFloat();
    internal override bool Differentiable(int arg) => To.IsFloat();
    internal override Expr Vjp(Apply y, int arg, Expr g) =>
        Carries(y.Arg(0).DType, To) ? Ex.Cast(g, y.Arg(0).DType) : Ex.ZerosLike(y.Arg(0));
    internal override Expr Jvp(Apply y, Expr?[] t) =>
        Carries(y.Arg(0).DType, To) ? Ex.Cast(t[0]!, To) : Ex.ZerosLike(y);
}

public static partial class Ex
{
    /// <summary>
    /// x converted to <paramref name="dtype"/>. Float to int32 truncates toward zero and saturates at int32's range,
    /// NaN giving 0, as <see cref="Tensor.Cast"/> does (docs/errors.md).
    /// </summary>
    public static Expr Cast(Expr x, DType dtype) => NotNull(x, nameof(x), "cast").DType == dtype.Checked("cast") ? x : Primitive.Build(new CastOp(dtype), x);
}
