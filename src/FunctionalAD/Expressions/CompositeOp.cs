using System.Collections.Concurrent;

namespace FunctionalAD;

/// <summary>
/// A derived operation kept as one node while a program is built and recorded, whose meaning is its body: an
/// expression of other primitives over the actual arguments (<see cref="Expand"/>). Wherever the body matters it
/// stands in for the node: compilation inlines it (<see cref="InlineCustom"/>), so the compiled plan is the one the
/// written-out body gives; derivatives go through the body's own rules; printing and ONNX export show the body.
/// What it saves is per-step work outside the kernels: a training loop that rebuilds its graph every step builds,
/// interns, keys and binds one node where the body has a dozen (a tape step spends most of its time there).
/// </summary>
internal abstract class CompositeOp : Primitive
{
    /// <summary>The body over placeholder variables, per argument signature, for the interpreter.</summary>
    private readonly ConcurrentDictionary<string, (Var[] Params, Expr Body)> _traces = new();

    /// <summary>
    /// The body over <paramref name="args"/>, built from them exactly as the operation would be written out, so
    /// interning makes it the very nodes a written-out program has.
    /// </summary>
    internal abstract Expr Expand(Expr[] args);

    /// <summary>Compiled and printed, a composite is its body.</summary>
    internal override bool Inlined(bool printing) => true;

    /// <inheritdoc/>
    internal override Expr Body(Expr[] args) => Expand(args);

    /// <summary>Evaluates the body with the arguments bound to its placeholders (the interpreter's path; compiled code inlines it).</summary>
    internal override void Forward(Tensor[] args, Tensor result)
    {
        var (ps, body) = TraceFor(args);
        var env = Env.Empty;
        for (int i = 0; i < args.Length; i++) env = env.Bind(ps[i], args[i]);
        var value = Evaluator.Eval(new[] { body }, env)[0];
        Array.Copy(value.Data, result.Data, result.Size);
    }

    private (Var[] Params, Expr Body) TraceFor(Tensor[] args)
    {
        var sig = string.Join(",", args.Select(a => $"{a.Shape}{a.DType}"));
        return _traces.GetOrAdd(sig, _ =>
        {
            var ps = args.Select((a, i) => CustomRuleOp.Placeholder($"{Name}.arg{i}", a.Shape, a.DType)).ToArray();
            return (ps, CustomRuleOp.Untaped(() => Expand(ps)));
        });
    }

    /// <summary>The cotangent of argument <paramref name="arg"/>: the body's reverse pass from <paramref name="g"/>.</summary>
    internal override Expr Vjp(Apply y, int arg, Expr g) =>
        Reverse.Vjp(Expand(y.Arguments), g, new[] { y.Arg(arg) })[0] ?? Ex.ZerosLike(y.Arg(arg));

    /// <summary>The tangent of the application: the body's forward pass from the arguments' tangents.</summary>
    internal override Expr Jvp(Apply y, Expr?[] tangents)
    {
        var seeds = new List<(Expr, Expr)>();
        for (int i = 0; i < tangents.Length; i++)
            if (tangents[i] is { } t) seeds.Add((y.Arg(i), t));
        return global::FunctionalAD.Forward.Jvp(Expand(y.Arguments), seeds) ?? Ex.ZerosLike(y);
    }

    // Exported as its body over the actual arguments, as compilation runs it.
    internal override string Export(IOnnxBuilder b, Apply node, string[] args) => b.Value(Expand(node.Arguments));
}
