namespace FunctionalAD;

/// <summary>
/// What the custom-rule primitives (<see cref="CustomVjpOp"/>, <see cref="CustomJvpOp"/>) share: a user function
/// f, given as a C# or F# function of expressions, whose value is f's body and whose derivative is the user's
/// rule instead of the derivative of the body. The body is traced once per argument signature (shapes and
/// dtypes) over placeholder variables; evaluating the application evaluates that body, and compilation
/// inlines it (<see cref="InlineCustom"/>), so compiled, a custom function is the same program as its body.
/// </summary>
public abstract class CustomRuleOp : Primitive
{
    private static long _nextId;
    private readonly Func<Expr[], Expr> _forward;
    private readonly object _gate = new();
    private readonly Dictionary<string, Trace> _traces = new();
    private readonly HashSet<Trace> _checked = new(ReferenceEqualityComparer.Instance);

    private protected CustomRuleOp(string kind, string? name, int? arity, Func<Expr[], Expr> forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        if (name is not null && string.IsNullOrWhiteSpace(name))
            throw new ArgumentOutOfRangeException(nameof(name), $"{kind}: the name of a custom function must not be empty (leave it out for \"{kind}\")");
        Id = Interlocked.Increment(ref _nextId);
        Kind = kind;
        FunctionName = name ?? kind;
        Arity = arity;
        _forward = forward;
    }

    /// <summary>custom_vjp, custom_jvp or custom_gradient: the form the rule was given in.</summary>
    internal string Kind { get; }

    /// <summary>The user's name for the function (or <see cref="Kind"/> when none was given).</summary>
    internal string FunctionName { get; }

    /// <summary>The number of arguments for the single-input forms, null for the array forms.</summary>
    internal int? Arity { get; }

    /// <summary>Tells two custom functions apart even when they share a name.</summary>
    internal long Id { get; }

    /// <summary>Each custom rule is its own primitive (it holds the user's functions): nothing to share with another.</summary>
    internal override bool OneOfAKind => true;

    /// <inheritdoc/>
    public override string Name => FunctionName;

    internal override string Key => $"{Kind}#{Id}";

    /// <summary>How errors name the function: its name and form.</summary>
    internal string Describe => FunctionName == Kind ? Kind : $"{FunctionName} ({Kind})";

    /// <summary>The forward body over placeholder variables standing for one argument signature.</summary>
    internal sealed record Trace(Var[] Params, Expr Body);

    /// <summary>The application of this function to <paramref name="args"/>, with the body and the rule checked for them.</summary>
    internal Expr Apply(Expr[] args)
    {
        if (args is null) throw new ArgumentNullException(nameof(args), $"{Describe}: the arguments are null");
        if (args.Length == 0) throw new FunctionalADException($"{Describe}: a custom function needs at least one argument");
        if (Arity is { } n && args.Length != n)
            throw new FunctionalADException($"{Describe}: takes {n} argument(s), got {args.Length}");
        for (int i = 0; i < args.Length; i++)
            if (args[i] is null) throw new ArgumentNullException(nameof(args), $"{Describe}: argument {i + 1} is null");
        var node = Build(this, args);
        var trace = TraceFor(args);
        lock (_gate)
            if (_checked.Contains(trace)) return node;
        Untaped(() => { CheckRule(trace); return 0; });
        lock (_gate) _checked.Add(trace);
        return node;
    }

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var body = TraceFor(args).Body;
        return (body.Shape, body.DType);
    }

    /// <summary>
    /// The body for arguments of this signature, traced on first use: the forward function applied to fresh
    /// variables. A body that uses a variable other than its arguments is refused, since derivatives and
    /// compilation could not see it.
    /// </summary>
    internal Trace TraceFor(IReadOnlyList<Expr> args) => TraceFor(args.Select(a => (a.Shape, a.DType)).ToArray());

    private Trace TraceFor((Shape Shape, DType DType)[] signature)
    {
        var sig = string.Join(",", signature.Select(a => $"{a.Shape}{a.DType}"));
        lock (_gate)
            if (_traces.TryGetValue(sig, out var known)) return known;
        var ps = signature.Select((a, i) => Placeholder($"{FunctionName}.arg{i}", a.Shape, a.DType)).ToArray();
        var body = Untaped(() => Call(_forward, ps, "forward function"));
        foreach (var free in Graph.Reachable(new[] { body }).OfType<Var>())
            if (Array.IndexOf(ps, free) < 0)
                throw new FunctionalADException(
                    $"{Describe}: the forward function uses variable '{free.Name}' {free.Shape}, which is not one of its arguments; " +
                    "pass it as an argument (the Expr[] form) so derivatives and compilation can see it");
        var trace = new Trace(ps, body);
        lock (_gate) return _traces.TryAdd(sig, trace) ? trace : _traces[sig];
    }

    /// <summary>Checks the derivative rule on the traced signature: the shapes and dtypes it returns.</summary>
    private protected abstract void CheckRule(Trace trace);

    /// <summary>Compiled, a custom function is its body; printed, it keeps its name.</summary>
    internal override bool Inlined(bool printing) => !printing;

    /// <inheritdoc/>
    internal override Expr Body(Expr[] args) => Inline(args);

    /// <summary>The body of this application over its actual arguments: what compilation runs instead of the node.</summary>
    internal Expr Inline(Expr[] args)
    {
        var t = TraceFor(args);
        var map = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < args.Length; i++) map[t.Params[i]] = args[i];
        return Substitute.Run(new[] { t.Body }, map)[0];
    }

    /// <summary>Evaluates the traced body with the arguments bound to its placeholders.</summary>
    internal override void Forward(Tensor[] args, Tensor result)
    {
        var t = TraceFor(args.Select(a => (a.Shape, a.DType)).ToArray());
        var env = Env.Empty;
        for (int i = 0; i < args.Length; i++) env = env.Bind(t.Params[i], args[i]);
        var value = Evaluator.Eval(new[] { t.Body }, env)[0];
        Array.Copy(value.Data, result.Data, result.Size);
    }

    internal override bool Differentiable(int arg) => true;

    // Exported as its body over the actual arguments, as compilation runs it; the user's rule is already an
    // expression of other primitives wherever a derivative of this application was taken.
    internal override string Export(IOnnxBuilder b, Apply node, string[] args) => b.Value(Inline(node.Args.ToArray()));

    /// <summary>
    /// Runs work on placeholders with no tape listening: tracing and checking a rule is not an execution of the user's
    /// program, so a recording <see cref="GradientTape"/> must not see it.
    /// </summary>
    internal static T Untaped<T>(Func<T> work)
    {
        var listening = Built;
        Built = null;
        try
        {
            return work();
        }
        finally
        {
            Built = listening;
        }
    }

    /// <summary>A variable no user code can name, so it never meets the user's own.</summary>
    internal static Var Placeholder(string name, Shape shape, DType dtype) =>
        new($"{name}#{Interlocked.Increment(ref _nextId)}", shape, dtype);

    /// <summary>Calls user code, refusing a null result with the function's name.</summary>
    internal T Call<T>(Func<Expr[], T> f, Expr[] args, string what) where T : class =>
        f(args) ?? throw new FunctionalADException($"{Describe}: the {what} returned null");

    /// <summary>Requires <paramref name="got"/> to have the shape and dtype of <paramref name="like"/>, naming the function.</summary>
    internal void RequireLike(Expr got, Expr like, string what)
    {
        if (got.Shape != like.Shape)
            throw new ShapeException($"{Describe}: the {what} has shape {got.Shape}, but must have shape {like.Shape}\n  in: {got}");
        if (got.DType != like.DType)
            throw new DTypeException($"{Describe}: the {what} is {got.DType.Name()}, but must be {like.DType.Name()} (use Cast)\n  in: {got}");
    }

    /// <summary>Makes a number written in the rule (a literal) take the dtype it must have.</summary>
    internal static Expr Coerced(Expr e, Expr like) => Ex.Coerce(e, like).Item1;
}
