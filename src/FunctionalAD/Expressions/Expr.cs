namespace FunctionalAD;

/// <summary>
/// An immutable tensor expression: a variable, a constant, or a primitive applied to expressions.
/// Shape and dtype are known from construction on. Nodes are interned: building the same application
/// twice gives the same object, so a DAG shares its subterms and passes memoise by reference.
/// </summary>
public abstract partial class Expr
{
    private static long _nextId;

    /// <summary>Creation order; arguments are always older than their applications, so sorting by Id is a topological order.</summary>
    internal long Id { get; } = Interlocked.Increment(ref _nextId);

    /// <summary>The shape of the value.</summary>
    public Shape Shape { get; }

    /// <summary>The element type of the value.</summary>
    public DType DType { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>The mark of the gradient tape that connected this node to its sources (see <see cref="ConnectedNodes"/>).</summary>
    internal ConnectedNodes.Mark? TapeMark;

    /// <summary>The last abstraction evaluated with this node as its first root (see <see cref="Abstracted.Shared"/>).</summary>
    internal Abstracted? Abstraction;

    private protected Expr(Shape shape, DType dtype)
    {
        Shape = shape;
        DType = dtype;
    }

    /// <summary>The direct subexpressions.</summary>
    public abstract IReadOnlyList<Expr> Args { get; }

    /// <summary><see cref="Args"/> as the array it is (never written to), for walks that visit every node.</summary>
    internal Expr[] ArgArray => this is Apply a ? a.Arguments : [];

    /// <summary>The expression as math, with the fewest parentheses that keep its meaning.</summary>
    public override string ToString() => Printer.Print(this);

    /// <summary>Evaluates with the variables bound in <paramref name="env"/>, through the cached compiled plan of its structure (see <see cref="Ad.Eval(Expr[], Env?, bool)"/>).</summary>
    public Tensor Eval(Env? env = null) => Engine.Eval(new[] { this }, env ?? Env.Empty)[0];

    /// <summary>Evaluates with the given (variable, value) bindings; each first item must be a variable.</summary>
    public Tensor Eval(params (Expr Var, Tensor Value)[] bindings) => Eval(Env.Of(bindings));
}

/// <summary>An input of an expression: a name, a shape and a dtype, bound to a value by an <see cref="Env"/>.</summary>
/// <remarks>
/// <see cref="Ex.Var(string, int[])"/> returns it typed as <see cref="Expr"/>, so F#'s own math functions apply;
/// match it with <c>e is Var v</c> (C#) or <c>:? Var as v</c> (F#) to read its <see cref="Name"/>.
/// </remarks>
public sealed class Var : Expr
{
    /// <summary>The name, as printed and as named in errors.</summary>
    public string Name { get; }

    internal Var(string name, Shape shape, DType dtype) : base(shape, dtype) => Name = name;

    /// <summary>
    /// The value used when an environment does not bind this variable: set only for the variable inside a
    /// <see cref="Variable"/>, whose expressions evaluate with its current value.
    /// </summary>
    internal Func<Tensor>? Current { get; init; }

    /// <summary>The <see cref="Variable"/> this is the symbolic leaf of, or null.</summary>
    internal Variable? Owner { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<Expr> Args => Array.Empty<Expr>();
}

/// <summary>A constant tensor inside an expression.</summary>
/// <remarks><see cref="Ex.Const(Tensor)"/> returns it typed as <see cref="Expr"/>; <c>Eval()</c> gives its value, or match <c>e is Const c</c>.</remarks>
public sealed class Const : Expr
{
    /// <summary>The value.</summary>
    public Tensor Value { get; }

    /// <summary>
    /// A scalar written as a number in code (<c>x * 2</c>). It takes the dtype of the other operand, so
    /// a literal does not force float32 into float64 code.
    /// </summary>
    internal bool IsLiteral { get; }

    /// <summary>A literal's value as the bits of a double, as interned (set when it enters the per-thread literal table).</summary>
    internal long LiteralBits;

    /// <summary>A literal's number in structural keys (see <see cref="Abstracted"/>), 0 until first needed.</summary>
    internal int LiteralId;

    /// <summary>
    /// The <see cref="Variable"/> this constant is a read of (its value at the read), or null. The functional API
    /// treats a read as its variable at that value: differentiating by, binding or compiling over the variable's
    /// leaf reaches its reads.
    /// </summary>
    internal Variable? ReadOf { get; init; }

    internal Const(Tensor value, bool literal = false) : base(value.Shape, value.DType)
    {
        Tensor.Freeze(value);
        Value = value;
        IsLiteral = literal;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Expr> Args => Array.Empty<Expr>();

    /// <summary>True when every element equals <paramref name="v"/>; checked only on small constants.</summary>
    internal bool IsUniform(double v) => Value.Size is > 0 and <= 4096 && Enumerable.Range(0, Value.Size).All(i => Value.At(i) == v);
}

/// <summary>A primitive applied to argument expressions.</summary>
public sealed class Apply : Expr
{
    /// <summary>The primitive, with its parameters (axes, shapes...).</summary>
    public Primitive Op { get; }

    private readonly Expr[] _args;

    /// <inheritdoc/>
    public override IReadOnlyList<Expr> Args => _args;

    internal Apply(Primitive op, Expr[] args, Shape shape, DType dtype) : base(shape, dtype)
    {
        Op = op;
        _args = args;
    }

    /// <summary>Argument <paramref name="i"/>.</summary>
    public Expr Arg(int i) => _args[i];

    internal Expr[] Arguments => _args;

    /// <summary>
    /// Not the argument any more: <c>apply[i]</c> once meant argument i, and would now silently mean tensor indexing,
    /// so it fails to compile. Use <see cref="Arg"/> for an argument, or index through <see cref="Expr"/>.
    /// </summary>
    [Obsolete("Apply[i] is no longer argument i: use Arg(i), or cast to Expr for tensor indexing", error: true)]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public Expr this[int i] => _args[i];
}
