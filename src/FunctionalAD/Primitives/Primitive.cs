using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// An operation the interpreter knows natively. One file per primitive holds everything about it:
/// its shape rule (<see cref="Infer"/>), its forward kernel (<see cref="Forward"/>), its reverse rule
/// (<see cref="Vjp"/>) and its forward rule (<see cref="Jvp"/>). Rules are written with the same
/// combinators users write, so derivatives of derivatives need nothing extra.
/// </summary>
public abstract partial class Primitive
{
    /// <summary>The name used when printing and in error messages.</summary>
    public abstract string Name { get; }

    /// <summary>The name plus parameters; two applications with equal keys and arguments are one node.</summary>
    internal virtual string Key => Name;

    private string? _internKey;

    /// <summary><see cref="Key"/>, formatted once: primitives are immutable, and interning asks for it on every build.</summary>
    internal string InternKey => _internKey ??= Key;

    /// <summary>
    /// True when <paramref name="other"/> is this primitive with the same parameters, so their <see cref="Key"/>s are
    /// equal. A primitive with parameters answers without formatting its key: graphs rebuilt each step (a tape step)
    /// make new primitive objects, and structural keys ask this of each (see <see cref="Abstracted"/>).
    /// </summary>
    internal virtual bool SameParameters(Primitive other) =>
        ReferenceEquals(this, other) || (other.GetType() == GetType() && string.Equals(InternKey, other.InternKey, StringComparison.Ordinal));

    /// <summary>A hash of the parameters, equal for primitives that <see cref="SameParameters"/> says are the same (0 by default).</summary>
    internal virtual int ParameterHash => 0;

    /// <summary>This primitive's number in structural keys, 0 until first needed (see <see cref="Abstracted"/>).</summary>
    internal int KeyId;

    /// <summary>
    /// True when no other object can be this primitive (each holds its own user functions, as a custom rule does), so
    /// structural keys number it by its key alone, without looking for an equal one among recent primitives.
    /// </summary>
    internal virtual bool OneOfAKind => false;

    /// <summary>Shape and dtype of the result; throws a <see cref="FunctionalADException"/> saying what is wrong.</summary>
    internal abstract (Shape Shape, DType DType) Infer(Expr[] args);

    /// <summary>Computes the result into <paramref name="result"/>, a fresh tensor of the inferred shape and dtype.</summary>
    internal virtual void Forward(Tensor[] args, Tensor result) => FloatDispatch(this, args, result);

    /// <summary>The cotangent of argument <paramref name="arg"/> given the cotangent <paramref name="g"/> of <paramref name="y"/>.</summary>
    internal abstract Expr Vjp(Apply y, int arg, Expr g);

    /// <summary>The tangent of <paramref name="y"/> given the tangents of its arguments (null where zero, never all null).</summary>
    internal abstract Expr Jvp(Apply y, Expr?[] tangents);

    /// <summary>False for arguments no derivative flows through (int32 labels, conditions, piecewise-constant ops).</summary>
    internal virtual bool Differentiable(int arg) => true;

    /// <summary>An algebraically equal, simpler expression for this primitive applied to <paramref name="args"/>, or null.</summary>
    internal virtual Expr? Simplify(Expr[] args) => null;

    /// <summary>
    /// Whether compilation replaces applications of this primitive by their body (<see cref="Body"/>): custom-rule
    /// functions and composites; when <paramref name="printing"/>, whether printing shows the body instead of the
    /// node (composites, which the library built, not custom functions, which the user named).
    /// </summary>
    internal virtual bool Inlined(bool printing) => false;

    /// <summary>The expression an application over <paramref name="args"/> stands for, where <see cref="Inlined"/> is true.</summary>
    internal virtual Expr Body(Expr[] args) => throw new InvalidOperationException($"{Name} has no body to inline");

    /// <summary>How the application prints, given its printed arguments.</summary>
    internal virtual string Format(string[] args) => $"{Name}({string.Join(", ", args)})";

    /// <summary>How the application prints when the format depends on the arguments' shapes.</summary>
    internal virtual string Format(string[] printed, Expr[] args) => Format(printed);

    /// <summary>True when a op (b op c) means (a op b) op c, so the right operand needs no parentheses.</summary>
    internal virtual bool Associative => false;

    /// <summary>
    /// True when argument <paramref name="arg"/> prints followed by a postfix (xᵀ, x[0:2]), which binds tighter than
    /// any infix or prefix operator, so that argument needs parentheses unless it is atomic.
    /// </summary>
    internal virtual bool IsPostfix(int arg, Expr[] args) => false;

    /// <summary>Binding strength when printed: <see cref="Printer.Atom"/> for function-call syntax.</summary>
    internal virtual int Precedence => Printer.Atom;

    /// <summary>
    /// The application as LaTeX (text and binding strength, see <see cref="Latex"/>) given its arguments' LaTeX,
    /// or null for the generic \operatorname form built from <see cref="Format(string[], Expr[])"/>.
    /// </summary>
    internal virtual (string Text, int Prec)? ToLatex(Apply node, Printed[] a) => null;

    // ---- what the compiler asks of a primitive (one member each, so no pass switches on primitive types) ----

    /// <summary>
    /// The compiled step of an application the fusion pass left on its own, reading <paramref name="args"/> and
    /// writing <paramref name="result"/>; null only for a primitive that truly cannot compile, which then runs
    /// as an interpreted step (<see cref="CompiledFunction.InterpretedSteps"/> lists those).
    /// </summary>
    internal virtual Step? CompileStep(Apply node, Loc[] args, Loc result) => null;

    /// <summary>How a fusion group computes this application element by element, or null when it is not element-wise.</summary>
    internal virtual FusedKind? Elementwise(Apply node) => null;

    /// <summary>The row-wise reduction over the last axis a fusion group can compute for this primitive, or null.</summary>
    internal virtual FusedKind? RowReduction => null;

    /// <summary>True when sums of every element or of every column fuse too (a plain Σ).</summary>
    internal virtual bool FusesWholeSums => false;

    /// <summary>
    /// For a view of its argument (broadcast, stop-gradient, a reshape that only adds or drops size-1 axes): the
    /// node's strides per its own axes, given its argument's per the argument's axes; null for anything else.
    /// Fused kernels read through views instead of materialising them.
    /// </summary>
    internal virtual int[]? ViewStrides(Apply node, int[] argStrides) => null;

    /// <summary>True for an application whose value is its argument's storage as it is (reshape, stop-gradient).</summary>
    internal virtual bool IsAlias => false;

    /// <summary>True for a view the compiler reads through (or, when it must be stored, gives its own step).</summary>
    internal virtual bool IsView => IsAlias;

    /// <inheritdoc/>
    public override string ToString() => Key;

    /// <summary>
    /// Told of every application built on this thread (including one interning returned again) while set:
    /// how a gradient tape learns what work was done while it recorded.
    /// </summary>
    [ThreadStatic] internal static Action<Apply>? Built;

    /// <summary>Builds the application, checking shapes and dtypes now and naming the subexpression when they do not fit.</summary>
    internal static Expr Build(Primitive op, params Expr[] args)
    {
        for (int i = 0; i < args.Length; i++)
            if (args[i] is null) throw new FunctionalADException($"{op.Name}: argument {i + 1} is null");
        (Shape shape, DType dtype) t;
        try
        {
            t = op.Infer(args);
        }
        catch (FunctionalADException e)
        {
            var at = $"{e.Message}\n  in: {Printer.PrintApplication(op, args)}";
            throw e switch
            {
                AxisException => new AxisException(at),
                ShapeException => new ShapeException(at),
                DTypeException => new DTypeException(at),
                _ => new FunctionalADException(at),
            };
        }
        var node = Interning.Apply(op, args, t, static (op, args, t) => new Apply(op, args, t.shape, t.dtype));
        // An interned node may be older than the tapes now recording; building it again is what a tape
        // must see, just as TensorFlow records an operation each time it runs.
        Built?.Invoke(node);
        return node;
    }

    // ---- helpers for rules ----

    /// <summary>Requires all arguments to share one float dtype.</summary>
    internal DType SameFloat(Expr[] args) => SameFloat(args.AsSpan());

    /// <summary>Requires all arguments to share one float dtype.</summary>
    internal DType SameFloat(ReadOnlySpan<Expr> args)
    {
        var d = args[0].DType;
        foreach (var a in args)
        {
            if (!a.DType.IsFloat()) throw new DTypeException($"{Name}: needs float32 or float64 arguments, got {a.DType.Name()} (use Cast)");
            if (a.DType != d) throw new DTypeException($"{Name}: mixed dtypes {d.Name()} and {a.DType.Name()} (use Cast to make them agree)");
        }
        return d;
    }

    /// <summary>The float kernel, written once for float and double; <see cref="Forward"/> picks the instance.</summary>
    internal virtual void Kernel<T>(Tensor[] args, Tensor result) where T : unmanaged, IFloatingPointIeee754<T>
        => throw new DTypeException($"{Name}: no float kernel");

    /// <summary>Runs <see cref="Kernel{T}"/> for the result's dtype.</summary>
    internal static void FloatDispatch(Primitive op, Tensor[] args, Tensor result)
    {
        if (result.DType == DType.Float32) op.Kernel<float>(args, result);
        else if (result.DType == DType.Float64) op.Kernel<double>(args, result);
        else throw new DTypeException($"{op.Name}: needs a float result, got {result.DType.Name()}");
    }
}
