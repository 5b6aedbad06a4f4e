using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// Base of y = f(x) applied element by element. A subclass gives its operator (<see cref="Operator"/>: one
/// struct with scalar, Vector256 and Vector512 forms of f, which every backend runs) and f'(x) as an
/// expression; both derivative rules follow from it: vjp = g·f'(x), jvp = t·f'(x).
/// </summary>
public abstract class UnaryElementwise : Primitive
{
    internal override (Shape Shape, DType DType) Infer(Expr[] args) => (args[0].Shape, SameFloat(args));

    internal override void Kernel<T>(Tensor[] args, Tensor result) => Map<T>(args[0].Span<T>(), result.Span<T>());

    /// <summary>The operator f, as the interpreter, the fused tiles and the register-fused loop all run it.</summary>
    internal abstract UnaryKernel Operator { get; }

    internal override FusedKind? Elementwise(Apply node) => FusedKind.Unary;

    /// <summary>y[i] = f(x[i]).</summary>
    internal void Map<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Operator.Map(x, y);

    /// <summary>f'(x) as an expression, which may reuse the node <paramref name="y"/> = f(x) itself.</summary>
    internal abstract Expr Derivative(Apply y);

    internal override Expr Vjp(Apply y, int arg, Expr g) => g * Derivative(y);

    internal override Expr Jvp(Apply y, Expr?[] tangents) => tangents[0]! * Derivative(y);
}

/// <summary>Base of element-wise functions that are piecewise constant: their derivative is zero wherever it exists.</summary>
public abstract class PiecewiseConstant : UnaryElementwise
{
    internal override bool Differentiable(int arg) => false;
    internal override Expr Derivative(Apply y) => Ex.ZerosLike(y.Arg(0));
}
