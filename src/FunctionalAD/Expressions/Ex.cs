using System.Globalization;

namespace FunctionalAD;

/// <summary>
/// The combinators that build expressions: <c>using static FunctionalAD.Ex;</c> in C#,
/// <c>open type FunctionalAD.Ex</c> in F#. Each primitive's own combinator sits in the primitive's file;
/// this part holds the leaves and the helpers the rules share.
/// </summary>
public static partial class Ex
{
    // The factories return Expr, not Var or Const: F#'s sin, exp, ** and unary minus need a type whose own static
    // member maps it to itself, and only Expr has them. The node types stay public for pattern matching, and the
    // APIs that need a variable take an Expr and check (RequireVar).

    /// <summary>A float32 input variable of the given dimensions (a <see cref="FunctionalAD.Var"/> node, typed as an expression).</summary>
    public static Expr Var(string name, params int[] dims) => VarNode(name, new Shape(dims), DType.Float32);

    /// <summary>An input variable. The same name, shape and dtype give the same variable.</summary>
    public static Expr Var(string name, Shape shape, DType dtype = DType.Float32) => VarNode(name, shape, dtype);

    /// <summary>A float64 input variable of the given dimensions.</summary>
    public static Expr Var64(string name, params int[] dims) => VarNode(name, new Shape(dims), DType.Float64);

    internal static Var VarNode(string name, Shape shape, DType dtype)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new FunctionalADException("Var: the name must not be empty");
        ArgumentNullException.ThrowIfNull(shape);
        dtype.Checked("Var");
        return Interning.Variable(name, shape, dtype);
    }

    /// <summary>
    /// <paramref name="e"/> as the variable it must be, or a <see cref="FunctionalADException"/> that names
    /// <paramref name="where"/> and the argument <paramref name="param"/>.
    /// </summary>
    internal static Var RequireVar(Expr? e, string where, string param) => e switch
    {
        Var v => v,
        // A Variable's read stands for its variable, as the tape and the functional API treat it.
        Const { ReadOf: { } read } => read.Leaf,
        null => throw new ArgumentNullException(param, $"{where}: {param} is null"),
        _ => throw new FunctionalADException($"{where}: {param} is not a variable: build it with Var(...) (got {e})"),
    };

    /// <summary>Each of <paramref name="es"/> as a variable; see <see cref="RequireVar(Expr?, string, string)"/>.</summary>
    internal static Var[] RequireVars(Expr[]? es, string where, string param)
    {
        ArgumentNullException.ThrowIfNull(es, param);
        var vars = new Var[es.Length];
        for (int i = 0; i < es.Length; i++) vars[i] = RequireVar(es[i], where, es.Length == 1 ? param : $"{param}[{i}]");
        return vars;
    }

    /// <summary>A constant tensor. Each call makes a distinct node, so a watched constant is never confused with an equal one.</summary>
    public static Expr Const(Tensor value) => new Const(value ?? throw new FunctionalADException("Const: the tensor is null"));
    /// <summary>A float32 scalar constant.</summary>
    public static Expr Const(float value) => new Const(Tensor.Scalar(value));
    /// <summary>A float64 scalar constant.</summary>
    public static Expr Const(double value) => new Const(Tensor.Scalar(value));
    /// <summary>A float32 vector constant.</summary>
    public static Expr Const(params float[] values) => new Const(Tensor.From(values));
    /// <summary>A float64 vector constant.</summary>
    public static Expr Const(params double[] values) => new Const(Tensor.From(values));
    /// <summary>An int32 vector constant, such as class labels.</summary>
    public static Expr Const(params int[] values) => new Const(Tensor.From(values));

    /// <summary>A number written in code. Literals are interned and take the dtype of what they meet.</summary>
    internal static Const Literal(double value, DType dtype = DType.Float32)
    {
        return Interning.Literal(value, dtype);
    }

    /// <summary>Zeros of the given shape and dtype, as a broadcast scalar so simplification can see it.</summary>
    public static Expr Zeros(Shape shape, DType dtype = DType.Float32) => Fill(0, shape, dtype);
    /// <summary>Ones of the given shape and dtype.</summary>
    public static Expr Ones(Shape shape, DType dtype = DType.Float32) => Fill(1, shape, dtype);
    /// <summary>Zeros with the shape and dtype of <paramref name="e"/>.</summary>
    public static Expr ZerosLike(Expr e) => Zeros(NotNull(e, nameof(e), "ZerosLike").Shape, e.DType);
    /// <summary>Ones with the shape and dtype of <paramref name="e"/>.</summary>
    public static Expr OnesLike(Expr e) => Ones(NotNull(e, nameof(e), "OnesLike").Shape, e.DType);

    /// <summary><paramref name="x"/>, or an <see cref="ArgumentNullException"/> naming the parameter and the operation.</summary>
    internal static T NotNull<T>(T? x, string param, string op) where T : class
    {
        if (x is null) ThrowNull(param, op);
        return x;
    }

    // Not inlined, so the throw site is a FunctionalAD frame even when the check is inlined into the caller.
    [System.Diagnostics.CodeAnalysis.DoesNotReturn, System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ThrowNull(string param, string op) => throw new ArgumentNullException(param, $"{op}: {param} is null");

    /// <summary><paramref name="value"/> everywhere in <paramref name="shape"/>.</summary>
    public static Expr Fill(double value, Shape shape, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        dtype.Checked("Fill");
        var s = Literal(value, dtype);
        return shape.Rank == 0 ? s : BroadcastTo(s, shape);
    }

    /// <summary>True when <paramref name="e"/> is known to be zero everywhere without evaluating it.</summary>
    internal static bool IsZero(Expr e) => IsUniform(e, 0);

    /// <summary>True when <paramref name="e"/> is known to equal <paramref name="v"/> everywhere without evaluating it.</summary>
    internal static bool IsUniform(Expr e, double v) => Spread(e) is Const c && c.IsUniform(v);

    /// <summary>The value of an expression known to be one scalar everywhere, or null.</summary>
    internal static double? UniformValue(Expr e) =>
        Spread(e) is Const c && c.Value.Size >= 1 && c.IsUniform(c.Value.At(0)) ? c.Value.At(0) : null;

    /// <summary>What a chain of broadcasts and reshapes spreads out (a loop: such chains can be 100,000 deep).</summary>
    private static Expr Spread(Expr e)
    {
        while (e is Apply { Op: BroadcastToOp or ReshapeOp } a) e = a.Arg(0);
        return e;
    }

    /// <summary>
    /// Sums <paramref name="g"/> over the axes along which <paramref name="shape"/> was broadcast to g's shape:
    /// the adjoint of broadcasting.
    /// </summary>
    public static Expr SumTo(Expr g, Shape shape)
    {
        NotNull(g, nameof(g), "SumTo");
        NotNull(shape, nameof(shape), "SumTo");
        if (g.Shape == shape) return g;
        if (!shape.BroadcastsTo(g.Shape))
            throw new ShapeException($"SumTo: shape {shape} does not broadcast to {g.Shape}\n  in: {g}");
        int lead = g.Rank - shape.Rank;
        var axes = new List<int>();
        for (int i = 0; i < g.Rank; i++)
            if (i < lead || (shape[i - lead] == 1 && g.Shape[i] != 1)) axes.Add(i);
        var s = axes.Count == 0 ? g : Sum(g, axes.ToArray(), keepDims: true);
        return Reshape(s, shape);
    }

    /// <summary>Makes a literal number agree in dtype with the expression it meets.</summary>
    internal static (Expr, Expr) Coerce(Expr a, Expr b)
    {
        // A null operand is left for Primitive.Build, which names the operation and the argument.
        if (a is null || b is null) return (a!, b!);
        if (a is Const { IsLiteral: true } la && la.DType != b.DType && b.DType.IsFloat()) a = Literal(la.Value.At(0), b.DType);
        else if (b is Const { IsLiteral: true } lb && lb.DType != a.DType && a.DType.IsFloat()) b = Literal(lb.Value.At(0), a.DType);
        return (a, b);
    }

    internal static Expr Binary(Primitive op, Expr a, Expr b)
    {
        (a, b) = Coerce(a, b);
        return Primitive.Build(op, a, b);
    }

    /// <summary>
    /// <see cref="Axes(int[], int, string)"/> for an operand <paramref name="x"/>: an error also shows x's shape and
    /// prints the call, as errors raised while building an application do.
    /// </summary>
    internal static int[] Axes(int[]? axes, Expr x, string op)
    {
        NotNull(x, nameof(x), op);
        try
        {
            return Axes(axes, x.Rank, op);
        }
        catch (AxisException e)
        {
            var shown = axes is null ? "" : axes.Length == 1 ? $", axis={axes[0]}" : $", axis=[{string.Join(", ", axes)}]";
            throw new AxisException($"{e.Message}; the operand has shape {x.Shape}\n  in: {op}({x}{shown})");
        }
    }

    internal static int[] Axes(int[]? axes, int rank, string op)
    {
        if (axes is null)
        {
            var all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        // One axis, the usual case (a row-wise reduction), needs no checks for repeats or sorting.
        if (axes.Length == 1) return [Shape.NormalizeAxis(axes[0], rank, op)];
        var norm = new int[axes.Length];
        for (int i = 0; i < norm.Length; i++) norm[i] = Shape.NormalizeAxis(axes[i], rank, op);
        Array.Sort(norm);
        for (int i = 1; i < norm.Length; i++)
            if (norm[i] == norm[i - 1]) throw new AxisException($"{op}: axes [{string.Join(", ", axes)}] name an axis twice");
        return norm;
    }
}
