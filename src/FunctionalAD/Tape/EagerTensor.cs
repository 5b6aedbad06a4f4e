namespace FunctionalAD;

/// <summary>
/// A result of a <see cref="GradientTape"/>: an expression together with its value. It prints as the value,
/// the way TensorFlow prints an eager tensor (<c>tf.Tensor(2.0, shape=(), dtype=float32)</c>), and converts
/// implicitly to its <see cref="FunctionalAD.Expr"/>, so it can be differentiated again, by an outer tape or
/// by <see cref="Ad"/>.
/// </summary>
/// <remarks>
/// The value is a snapshot taken when the result is made, as in TensorFlow: assigning to a
/// <see cref="Variable"/> afterwards does not change a gradient already computed. When the expression has
/// a free <see cref="Var"/> with no value, there is no snapshot and <see cref="Value"/> asks for a binding.
/// </remarks>
public sealed partial class EagerTensor
{
    private readonly Tensor? _value;
    private Expr? _expr;
    private readonly Deferred? _make;
    private readonly int _index;

    internal EagerTensor(Expr expr, Tensor? value)
    {
        _expr = expr;
        _value = value;
    }

    /// <summary>
    /// A computed value whose expression, result <paramref name="index"/> of <paramref name="expr"/>, is built only if
    /// someone asks for it (a cached tape gradient).
    /// </summary>
    internal EagerTensor(Deferred expr, int index, Tensor value)
    {
        _make = expr;
        _index = index;
        _value = value;
    }

    /// <summary>
    /// The expressions of several results made together, built on demand: one object serves every gradient of a tape
    /// call, where a closure per gradient would cost two allocations each on every training step.
    /// </summary>
    internal abstract class Deferred
    {
        public abstract Expr Make(int index);
    }

    /// <summary>An eager tensor for <paramref name="expr"/>, evaluated now if all its inputs have values.</summary>
    public static EagerTensor Of(Expr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        return new EagerTensor(expr, Evaluable(new[] { expr }) ? expr.Eval() : null);
    }

    /// <summary>The expression, differentiable like any other.</summary>
    public Expr Expr => _expr ?? LazyInitializer.EnsureInitialized(ref _expr, () => _make!.Make(_index));

    /// <summary>The value, as computed when this result was made.</summary>
    public Tensor Value => _value ?? Expr.Eval();

    /// <summary>The shape.</summary>
    public Shape Shape => _value?.Shape ?? Expr.Shape;

    /// <summary>The element type.</summary>
    public DType DType => _value?.DType ?? Expr.DType;

    /// <summary>The value with <paramref name="env"/> binding the free variables.</summary>
    public Tensor Eval(Env env) => Expr.Eval(env);

    /// <summary>The value printed as TensorFlow prints a tensor; an expression with unbound variables prints as math.</summary>
    public override string ToString()
    {
        if (_value is not null) return _value.ToString();
        try { return Expr.Eval().ToString(); }
        catch (MissingBindingException e) { return $"{Expr}  (no value: variable '{e.Variable.Name}' is unbound; use Eval(env))"; }
    }

    /// <summary>The expression, so tape results feed straight into further expressions and derivatives.</summary>
    public static implicit operator Expr(EagerTensor t) => t.Expr;

    /// <summary>True when every variable under <paramref name="exprs"/> has a value without an environment.</summary>
    internal static bool Evaluable(IEnumerable<Expr> exprs) =>
        Graph.Reachable(exprs).OfType<Var>().All(v => v.Current is not null);

    private static EagerTensor Lift(Expr e, params EagerTensor[] operands) =>
        new(e, operands.All(o => o._value is not null) ? Snapshot(e, operands) : null);

    // The operands' snapshots, not their expressions' current values, so later assignments cannot leak in.
    private static Tensor Snapshot(Expr e, EagerTensor[] operands)
    {
        var map = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance);
        foreach (var o in operands)
            if (o.Expr is not Const) map.TryAdd(o.Expr, new Const(o._value!));
        return map.Count == 0 ? e.Eval() : Substitute.Run(new[] { e }, map)[0].Eval();
    }

    /// <summary>Element-wise sum.</summary>
    public static EagerTensor operator +(EagerTensor a, EagerTensor b) => Lift(a.Expr + b.Expr, a, b);
    /// <summary>Element-wise difference.</summary>
    public static EagerTensor operator -(EagerTensor a, EagerTensor b) => Lift(a.Expr - b.Expr, a, b);
    /// <summary>Element-wise product.</summary>
    public static EagerTensor operator *(EagerTensor a, EagerTensor b) => Lift(a.Expr * b.Expr, a, b);
    /// <summary>Element-wise quotient.</summary>
    public static EagerTensor operator /(EagerTensor a, EagerTensor b) => Lift(a.Expr / b.Expr, a, b);
    /// <summary>Negation.</summary>
    public static EagerTensor operator -(EagerTensor a) => Lift(-a.Expr, a);
    /// <summary>Scales by a number.</summary>
    public static EagerTensor operator *(EagerTensor a, double b) => Lift(a.Expr * Ex.Literal(b, a.DType), a);
    /// <summary>Scales by a number.</summary>
    public static EagerTensor operator *(double a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) * b.Expr, b);
    /// <summary>Divides by a number.</summary>
    public static EagerTensor operator /(EagerTensor a, double b) => Lift(a.Expr / Ex.Literal(b, a.DType), a);
    /// <summary>Adds a number.</summary>
    public static EagerTensor operator +(EagerTensor a, double b) => Lift(a.Expr + Ex.Literal(b, a.DType), a);
    /// <summary>Subtracts a number.</summary>
    public static EagerTensor operator -(EagerTensor a, double b) => Lift(a.Expr - Ex.Literal(b, a.DType), a);
    /// <summary>Scales by a number.</summary>
    public static EagerTensor operator *(EagerTensor a, float b) => Lift(a.Expr * Ex.Literal(b, a.DType), a);
    /// <summary>Scales by a number.</summary>
    public static EagerTensor operator *(float a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) * b.Expr, b);
    /// <summary>Divides by a number.</summary>
    public static EagerTensor operator /(EagerTensor a, float b) => Lift(a.Expr / Ex.Literal(b, a.DType), a);
    /// <summary>Adds a number.</summary>
    public static EagerTensor operator +(EagerTensor a, float b) => Lift(a.Expr + Ex.Literal(b, a.DType), a);
    /// <summary>Subtracts a number.</summary>
    public static EagerTensor operator -(EagerTensor a, float b) => Lift(a.Expr - Ex.Literal(b, a.DType), a);
    /// <summary>Scales by a number.</summary>
    public static EagerTensor operator *(EagerTensor a, int b) => Lift(a.Expr * Ex.Literal(b, a.DType), a);
    /// <summary>Scales by a number.</summary>
    public static EagerTensor operator *(int a, EagerTensor b) => Lift(Ex.Literal(a, b.DType) * b.Expr, b);
    /// <summary>Divides by a number.</summary>
    public static EagerTensor operator /(EagerTensor a, int b) => Lift(a.Expr / Ex.Literal(b, a.DType), a);
    /// <summary>Adds a number.</summary>
    public static EagerTensor operator +(EagerTensor a, int b) => Lift(a.Expr + Ex.Literal(b, a.DType), a);
    /// <summary>Subtracts a number.</summary>
    public static EagerTensor operator -(EagerTensor a, int b) => Lift(a.Expr - Ex.Literal(b, a.DType), a);
}
