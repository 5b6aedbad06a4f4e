using System.Globalization;

namespace FunctionalAD;

/// <summary>
/// Named mutable state, as TensorFlow's <c>tf.Variable</c>. Reading it into an expression (the implicit conversion
/// to <see cref="Expr"/>, its operators, or <see cref="Read"/>) takes its value at that moment, as TensorFlow's
/// eager reads do: later assignments do not change what was computed from it. A <see cref="GradientTape"/>
/// recording at the time of the read can still differentiate with respect to the variable through that read,
/// and watches a trainable variable on its own unless made with <c>watchAccessedVariables: false</c>.
/// </summary>
/// <remarks>
/// <see cref="Var"/> is the symbolic handle, for the functional API: an expression built on it reads the
/// variable's value when it is evaluated (unless an <see cref="Env"/> binds it), so it follows assignments.
/// Assignments replace the value atomically; tensors are immutable, so a read never sees half an update.
/// </remarks>
public sealed partial class Variable
{
    private static int _unnamed;
    private Tensor _value;

    /// <summary>A variable holding <paramref name="initialValue"/>.</summary>
    /// <param name="initialValue">The first value; its shape and dtype are the variable's for good.</param>
    /// <param name="name">The name printed in expressions; "Variable", "Variable_1"... when omitted, as in TensorFlow.</param>
    /// <param name="trainable">False keeps tapes from watching it automatically (it can still be watched by hand).</param>
    public Variable(Tensor initialValue, string? name = null, bool trainable = true)
    {
        _value = initialValue ?? throw new FunctionalADException("Variable: the initial value is null");
        if (name is not null && string.IsNullOrWhiteSpace(name)) throw new FunctionalADException("Variable: the name must not be blank");
        Name = name ?? NextName();
        Trainable = trainable;
        Leaf = new Var(Name, initialValue.Shape, initialValue.DType) { Current = () => Value, Owner = this };
    }

    /// <summary>A variable whose first value is <paramref name="initialValue"/> evaluated now.</summary>
    public Variable(Expr initialValue, string? name = null, bool trainable = true)
        : this((initialValue ?? throw new FunctionalADException("Variable: the initial value is null")).Eval(), name, trainable) { }

    /// <summary>A float32 scalar variable.</summary>
    public Variable(float initialValue, string? name = null, bool trainable = true) : this(Tensor.Scalar(initialValue), name, trainable) { }

    /// <summary>A float64 scalar variable.</summary>
    public Variable(double initialValue, string? name = null, bool trainable = true) : this(Tensor.Scalar(initialValue), name, trainable) { }

    private static string NextName()
    {
        int n = Interlocked.Increment(ref _unnamed) - 1;
        return n == 0 ? "Variable" : $"Variable_{n}";
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>Whether tapes watch it automatically when it is read.</summary>
    public bool Trainable { get; }

    /// <summary>
    /// The symbolic leaf for this variable: expressions built on it evaluate with the variable's value at
    /// evaluation time, or with what an <see cref="Env"/> binds it to (the functional API, <see cref="Ad"/>).
    /// Using it is not a read, so no tape watches the variable because of it, and its value is not fixed.
    /// </summary>
    public Expr Var => Leaf;

    internal Var Leaf { get; }

    /// <summary>The shape, fixed at construction.</summary>
    public Shape Shape => Var.Shape;

    /// <summary>The element type, fixed at construction.</summary>
    public DType DType => Var.DType;

    /// <summary>The current value.</summary>
    public Tensor Value => Volatile.Read(ref _value);

    /// <summary>
    /// The variable's value now, as a leaf of expressions (TensorFlow's <c>read_value</c>): what is computed from
    /// it keeps this value whatever is assigned later. Recording tapes differentiate through the read with
    /// respect to the variable, and a trainable variable read while a tape records is watched by it.
    /// </summary>
    public Expr Read()
    {
        var read = new Const(Value) { ReadOf = this };
        TapeRecorder.Accessed(this, read);
        return read;
    }

    /// <summary>Reads the variable into an expression (see <see cref="Read"/>).</summary>
    public static implicit operator Expr(Variable v) => v.Read();

    /// <summary>Replaces the value; it must have the variable's shape and dtype.</summary>
    public Variable Assign(Tensor value)
    {
        Check(value, "Assign");
        Volatile.Write(ref _value, value);
        return this;
    }

    /// <summary>Replaces the value with <paramref name="value"/> evaluated now (with variables at their current values).</summary>
    public Variable Assign(Expr value) => Assign(Evaluate(value, "Assign"));

    /// <summary>Replaces the value with the value of a tape result.</summary>
    public Variable Assign(EagerTensor value) => Assign(Evaluate(value, "Assign"));

    /// <summary>value ← value + <paramref name="delta"/>.</summary>
    public Variable AssignAdd(Tensor delta) => Update(delta, +1, "AssignAdd");

    /// <summary>value ← value + <paramref name="delta"/>, the delta evaluated now.</summary>
    public Variable AssignAdd(Expr delta) => Update(Evaluate(delta, "AssignAdd"), +1, "AssignAdd");

    /// <summary>value ← value + <paramref name="delta"/>.</summary>
    public Variable AssignAdd(EagerTensor delta) => Update(Evaluate(delta, "AssignAdd"), +1, "AssignAdd");

    /// <summary>value ← value − <paramref name="delta"/>.</summary>
    public Variable AssignSub(Tensor delta) => Update(delta, -1, "AssignSub");

    /// <summary>value ← value − <paramref name="delta"/>, the delta evaluated now.</summary>
    public Variable AssignSub(Expr delta) => Update(Evaluate(delta, "AssignSub"), -1, "AssignSub");

    /// <summary>value ← value − <paramref name="delta"/>.</summary>
    public Variable AssignSub(EagerTensor delta) => Update(Evaluate(delta, "AssignSub"), -1, "AssignSub");

    private static Tensor Evaluate(Expr? e, string op) =>
        (e ?? throw new FunctionalADException($"Variable.{op}: the value is null")).Eval();

    private static Tensor Evaluate(EagerTensor? e, string op) =>
        (e ?? throw new FunctionalADException($"Variable.{op}: the value is null (a gradient of None? check the tape watched this variable)")).Value;

    private Variable Update(Tensor delta, int sign, string op)
    {
        Check(delta, op);
        var old = Value;
        var next = Tensor.Uninitialized(Shape, DType);
        switch (next.Data)
        {
            case float[] f: { var a = old.Array<float>(); var d = delta.Array<float>(); for (int i = 0; i < f.Length; i++) f[i] = a[i] + sign * d[i]; break; }
            case double[] f: { var a = old.Array<double>(); var d = delta.Array<double>(); for (int i = 0; i < f.Length; i++) f[i] = a[i] + sign * d[i]; break; }
            case int[] f: { var a = old.Array<int>(); var d = delta.Array<int>(); for (int i = 0; i < f.Length; i++) f[i] = a[i] + sign * d[i]; break; }
        }
        GC.KeepAlive(delta);  // a fresh result whose pooled storage (ResultPool) must not be recycled while it is read
        GC.KeepAlive(old);
        return Assign(next);
    }

    private void Check(Tensor? value, string op)
    {
        if (value is null) throw new FunctionalADException($"Variable '{Name}'.{op}: the value is null");
        if (value.Shape != Shape)
            throw new ShapeException($"Variable '{Name}'.{op}: the value has shape {value.Shape} but the variable has shape {Shape}; a variable keeps its shape");
        if (value.DType != DType)
            throw new DTypeException($"Variable '{Name}'.{op}: the value is {value.DType.Name()} but the variable is {DType.Name()} (use Tensor.Cast)");
    }

    /// <summary>Element-wise sum.</summary>
    public static Expr operator +(Variable a, Variable b) => a.Read() + b.Read();
    /// <summary>Element-wise difference.</summary>
    public static Expr operator -(Variable a, Variable b) => a.Read() - b.Read();
    /// <summary>Element-wise product.</summary>
    public static Expr operator *(Variable a, Variable b) => a.Read() * b.Read();
    /// <summary>Element-wise quotient.</summary>
    public static Expr operator /(Variable a, Variable b) => a.Read() / b.Read();
    /// <summary>Negation.</summary>
    public static Expr operator -(Variable a) => -a.Read();
    /// <summary>Adds a number.</summary>
    public static Expr operator +(Variable a, double b) => a.Read() + Ex.Literal(b, a.DType);
    /// <summary>Adds to a number.</summary>
    public static Expr operator +(double a, Variable b) => Ex.Literal(a, b.DType) + b.Read();
    /// <summary>Subtracts a number.</summary>
    public static Expr operator -(Variable a, double b) => a.Read() - Ex.Literal(b, a.DType);
    /// <summary>Subtracts from a number.</summary>
    public static Expr operator -(double a, Variable b) => Ex.Literal(a, b.DType) - b.Read();
    /// <summary>Multiplies by a number.</summary>
    public static Expr operator *(Variable a, double b) => a.Read() * Ex.Literal(b, a.DType);
    /// <summary>Multiplies a number.</summary>
    public static Expr operator *(double a, Variable b) => Ex.Literal(a, b.DType) * b.Read();
    /// <summary>Divides by a number.</summary>
    public static Expr operator /(Variable a, double b) => a.Read() / Ex.Literal(b, a.DType);
    /// <summary>Divides a number.</summary>
    public static Expr operator /(double a, Variable b) => Ex.Literal(a, b.DType) / b.Read();

    /// <summary>Adds a number.</summary>
    public static Expr operator +(Variable a, float b) => a.Read() + Ex.Literal(b, a.DType);
    /// <summary>Adds to a number.</summary>
    public static Expr operator +(float a, Variable b) => Ex.Literal(a, b.DType) + b.Read();
    /// <summary>Subtracts a number.</summary>
    public static Expr operator -(Variable a, float b) => a.Read() - Ex.Literal(b, a.DType);
    /// <summary>Subtracts from a number.</summary>
    public static Expr operator -(float a, Variable b) => Ex.Literal(a, b.DType) - b.Read();
    /// <summary>Multiplies by a number.</summary>
    public static Expr operator *(Variable a, float b) => a.Read() * Ex.Literal(b, a.DType);
    /// <summary>Multiplies a number.</summary>
    public static Expr operator *(float a, Variable b) => Ex.Literal(a, b.DType) * b.Read();
    /// <summary>Divides by a number.</summary>
    public static Expr operator /(Variable a, float b) => a.Read() / Ex.Literal(b, a.DType);
    /// <summary>Divides a number.</summary>
    public static Expr operator /(float a, Variable b) => Ex.Literal(a, b.DType) / b.Read();

    /// <summary>Adds a number.</summary>
    public static Expr operator +(Variable a, int b) => a.Read() + Ex.Literal(b, a.DType);
    /// <summary>Adds to a number.</summary>
    public static Expr operator +(int a, Variable b) => Ex.Literal(a, b.DType) + b.Read();
    /// <summary>Subtracts a number.</summary>
    public static Expr operator -(Variable a, int b) => a.Read() - Ex.Literal(b, a.DType);
    /// <summary>Subtracts from a number.</summary>
    public static Expr operator -(int a, Variable b) => Ex.Literal(a, b.DType) - b.Read();
    /// <summary>Multiplies by a number.</summary>
    public static Expr operator *(Variable a, int b) => a.Read() * Ex.Literal(b, a.DType);
    /// <summary>Multiplies a number.</summary>
    public static Expr operator *(int a, Variable b) => Ex.Literal(a, b.DType) * b.Read();
    /// <summary>Divides by a number.</summary>
    public static Expr operator /(Variable a, int b) => a.Read() / Ex.Literal(b, a.DType);
    /// <summary>Divides a number.</summary>
    public static Expr operator /(int a, Variable b) => Ex.Literal(a, b.DType) / b.Read();

    /// <summary>As TensorFlow prints a variable: <c>&lt;tf.Variable 'w:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)&gt;</c>.</summary>
    public override string ToString()
    {
        var v = Value;
        var numpy = v.Rank == 0 ? v.FormatValues() : $"{(v.Rank >= 2 ? "\n" : "")}array({Repr(v)}, dtype={v.DType.Name()})";
        return string.Create(CultureInfo.InvariantCulture, $"<tf.Variable '{Name}:0' shape={Shape} dtype={DType.Name()}, numpy={numpy}>");
    }

    // NumPy's repr is its str with ", " between the (fixed-width) cells of each innermost row, a comma after each
    // closing row, and continuation lines indented under "array(".
    private static string Repr(Tensor v)
    {
        var str = v.FormatValues();
        int n = v.Shape[-1];
        if (n > 1)
            str = System.Text.RegularExpressions.Regex.Replace(str, @"\[([^\[\]]*)\]", m =>
            {
                var row = m.Groups[1].Value;
                int w = (row.Length - (n - 1)) / n;
                return "[" + string.Join(", ", Enumerable.Range(0, n).Select(i => row.Substring(i * (w + 1), w))) + "]";
            });
        return str.Replace("]\n", "],\n", StringComparison.Ordinal).Replace("\n ", "\n       ", StringComparison.Ordinal);
    }
}
