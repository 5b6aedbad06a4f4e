using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalAD;

/// <summary>
/// Derivatives and evaluation. Every derivative is an <see cref="Expr"/>, simplified, so it prints as math,
/// evaluates like any expression and can be differentiated again, to any order.
/// </summary>
public static partial class Ad
{
    // ---- derivatives of expressions ----

    /// <summary>∂target/∂x for each x: the gradient of a one-element <paramref name="target"/>, one expression per variable, shaped like it.</summary>
    /// <remarks>Each of <paramref name="wrt"/> must be a variable made with <c>Var</c>; use <see cref="GradOf"/> for any subexpression.</remarks>
    public static Expr[] Grad(Expr target, params Expr[] wrt) => GradOf(target, Ex.RequireVars(wrt, "Ad.Grad", nameof(wrt)));

    /// <summary>The gradient of a one-element <paramref name="target"/> with respect to any subexpressions (watched tensors, intermediates).</summary>
    public static Expr[] GradOf(Expr target, params Expr[] wrt)
    {
        Ex.NotNull(target, nameof(target), "Grad");
        RequireScalar(target, "Grad");
        return Vjp(target, Ex.OnesLike(target), wrt);
    }

    /// <summary>The value and the gradient together; the value is <paramref name="target"/> itself.</summary>
    public static (Expr Value, Expr[] Grads) ValueAndGrad(Expr target, params Expr[] wrt) =>
        (target, GradOf(target, Ex.RequireVars(wrt, "Ad.ValueAndGrad", nameof(wrt))));

    /// <summary>
    /// The vector-Jacobian product: for each x, Σᵢ uᵢ ∂yᵢ/∂x, with <paramref name="cotangent"/> u shaped like y.
    /// A source y does not depend on gets zeros.
    /// </summary>
    public static Expr[] Vjp(Expr y, Expr cotangent, params Expr[] wrt)
    {
        Ex.NotNull(y, nameof(y), "Vjp");
        Ex.NotNull(cotangent, nameof(cotangent), "Vjp");
        RequireSources(wrt, "Vjp");
        if (cotangent.Shape != y.Shape)
            throw new ShapeException($"Vjp: the cotangent has shape {cotangent.Shape} but the output has shape {y.Shape}; they must match");
        (cotangent, _) = Ex.Coerce(cotangent, y);
        if (cotangent.DType != y.DType) throw new DTypeException($"Vjp: the cotangent is {cotangent.DType.Name()} but the output is {y.DType.Name()}");
        // A Variable given through its conversion to Expr arrives as a read of it: it stands for the variable.
        wrt = wrt.Select(Reads.LeafOf).ToArray();
        var raw = Reverse.Vjp(Reads.ToLeaves(new[] { y }, wrt)[0], cotangent, wrt);
        return Simplify(raw.Select((g, i) => g ?? Ex.ZerosLike(wrt[i])).ToArray());
    }

    /// <summary>
    /// The Jacobian-vector product by forward mode: Σⱼ ∂y/∂xⱼ · vⱼ, with one tangent per variable shaped like it.
    /// </summary>
    public static Expr Jvp(Expr y, Expr[] wrt, Expr[] tangents)
    {
        Ex.NotNull(y, nameof(y), "Jvp");
        RequireSources(wrt, "Jvp");
        Ex.NotNull(tangents, nameof(tangents), "Jvp");
        if (tangents.Length != wrt.Length)
            throw new FunctionalADException($"Jvp: {wrt.Length} variables but {tangents.Length} tangents; give one tangent per variable");
        for (int i = 0; i < wrt.Length; i++)
        {
            Ex.NotNull(tangents[i], nameof(tangents), "Jvp");
            (tangents[i], _) = Ex.Coerce(tangents[i], wrt[i]);
            if (tangents[i].Shape != wrt[i].Shape || tangents[i].DType != wrt[i].DType)
                throw new ShapeException($"Jvp: the tangent for {wrt[i]} has shape {tangents[i].Shape} {tangents[i].DType.Name()}; it must be {wrt[i].Shape} {wrt[i].DType.Name()}");
        }
        wrt = wrt.Select(Reads.LeafOf).ToArray();
        var t = Forward.Jvp(Reads.ToLeaves(new[] { y }, wrt)[0], wrt.Zip(tangents).ToArray());
        return Simplify(t ?? Ex.ZerosLike(y));
    }

    /// <summary>The Jvp along one variable.</summary>
    /// <remarks><paramref name="x"/> must be a variable made with <c>Var</c>.</remarks>
    public static Expr Jvp(Expr y, Expr x, Expr tangent) => Jvp(y, new Expr[] { Ex.RequireVar(x, "Ad.Jvp", nameof(x)) }, new[] { tangent });

    /// <summary>∂y/∂x with shape y.shape + x.shape, built row by row in reverse mode.</summary>
    public static Expr Jacobian(Expr y, Expr x)
    {
        Ex.NotNull(y, nameof(y), "Jacobian");
        RequireSources(new[] { x }, "Jacobian");
        var rows = new Expr[y.Shape.Size];
        for (int i = 0; i < rows.Length; i++)
        {
            var e = new double[y.Shape.Size];
            e[i] = 1;
            var u = Ex.Const(Tensor.FromDoubles(e, y.Shape, y.DType));
            rows[i] = Ex.Reshape(Vjp(y, u, x)[0], 1, x.Shape.Size);
        }
        var flat = rows.Length == 0 ? Ex.Zeros(new Shape(0, x.Shape.Size), x.DType) : Ex.Concat(rows, 0);
        return Simplify(Ex.Reshape(flat, new Shape(y.Shape.Concat(x.Shape).ToArray())));
    }

    /// <summary>The matrix of second derivatives of a one-element <paramref name="y"/>, shaped x.shape + x.shape.</summary>
    public static Expr Hessian(Expr y, Expr x)
    {
        Ex.NotNull(y, nameof(y), "Hessian");
        RequireScalar(y, "Hessian");
        return Jacobian(GradOf(y, x)[0], x);
    }

    // ---- derivatives of functions (JAX style) ----

    /// <summary>The gradient function of a scalar function: <c>Grad(f)(z)</c> = ∇f at z. Compose it for any order.</summary>
    public static Func<Expr, Expr> Grad(Func<Expr, Expr> f)
    {
        Ex.NotNull(f, nameof(f), "Grad");
        return z =>
    {
        var (v, y) = Trace(f, z);
        RequireScalar(y, "Grad");
        return Bind(GradOf(y, v)[0], v, z);
    };
    }

    /// <summary>The value and gradient function of a scalar function.</summary>
    public static Func<Expr, (Expr Value, Expr Grad)> ValueAndGrad(Func<Expr, Expr> f)
    {
        var grad = Grad(f);
        return z => (f(z), grad(z));
    }

    /// <summary>f(x) and the pullback u ↦ uᵀ ∂f/∂x, as JAX's vjp.</summary>
    public static (Expr Value, Func<Expr, Expr> Pullback) Vjp(Func<Expr, Expr> f, Expr x)
    {
        Ex.NotNull(f, nameof(f), "Vjp");
        var (v, y) = Trace(f, x);
        return (Bind(y, v, x), u => Bind(Vjp(y, u, v)[0], v, x));
    }

    /// <summary>f(x) and the directional derivative ∂f/∂x · t, as JAX's jvp, by forward mode.</summary>
    public static (Expr Value, Expr Tangent) Jvp(Func<Expr, Expr> f, Expr x, Expr t)
    {
        Ex.NotNull(f, nameof(f), "Jvp");
        Ex.NotNull(t, nameof(t), "Jvp");
        var (v, y) = Trace(f, x);
        return (Bind(y, v, x), Bind(Jvp(y, new Expr[] { v }, new[] { t }), v, x));
    }

    /// <summary>The Jacobian function of f.</summary>
    public static Func<Expr, Expr> Jacobian(Func<Expr, Expr> f)
    {
        Ex.NotNull(f, nameof(f), "Jacobian");
        return z =>
        {
            var (v, y) = Trace(f, z);
            return Bind(Jacobian(y, v), v, z);
        };
    }

    /// <summary>The Hessian function of a scalar function.</summary>
    public static Func<Expr, Expr> Hessian(Func<Expr, Expr> f)
    {
        Ex.NotNull(f, nameof(f), "Hessian");
        return z =>
        {
            var (v, y) = Trace(f, z);
            return Bind(Hessian(y, v), v, z);
        };
    }

    private static long _fresh;

    /// <summary>Applies f to a fresh variable standing for z, so the derivative is taken at z and nowhere else.</summary>
    private static (Var, Expr) Trace(Func<Expr, Expr> f, Expr z)
    {
        ArgumentNullException.ThrowIfNull(z);
        var v = Ex.VarNode($"ξ{Interlocked.Increment(ref _fresh)}", z.Shape, z.DType);
        return (v, f(v) ?? throw new FunctionalADException("the function returned null"));
    }

    private static Expr Bind(Expr e, Var v, Expr z) =>
        Simplify(Substitute.Run(new[] { e }, new Dictionary<Expr, Expr> { [v] = z })[0]);

    // ---- simplification and evaluation ----

    /// <summary>An equal expression with identities applied, small constants folded and equal subterms shared.</summary>
    public static Expr Simplify(Expr e) => Simplifier.Run(new[] { Ex.NotNull(e, nameof(e), "Simplify") })[0];

    /// <summary>Simplifies several expressions, sharing what they have in common.</summary>
    public static Expr[] Simplify(Expr[] es) => Simplifier.Run(RequireAll(es, nameof(es), "Simplify"));

    /// <summary>
    /// Evaluates expressions together (shared subexpressions once), through the compiled plan cached for their
    /// structure (see <see cref="PlanCache"/>): constants and variables are the plan's inputs, so evaluating the
    /// same structure again with other data does not compile again. With <paramref name="checkFinite"/>, the
    /// reference interpreter runs instead and the first node whose value is NaN or infinite raises a
    /// <see cref="NonFiniteException"/> that names it.
    /// </summary>
    public static Tensor[] Eval(Expr[] exprs, Env? env = null, bool checkFinite = false)
    {
        return Engine.Eval(RequireAll(exprs, nameof(exprs), "Eval"), env ?? Env.Empty, checkFinite);
    }

    /// <summary>Evaluates one expression.</summary>
    public static Tensor Eval(Expr e, Env? env = null, bool checkFinite = false) => Eval(new[] { Ex.NotNull(e, nameof(e), "Eval") }, env, checkFinite)[0];

    /// <summary>Evaluation as a value: the tensors, or the FunctionalAD error that prevented them.</summary>
    public static Fin<Tensor[]> TryEval(Expr[] exprs, Env? env = null, bool checkFinite = false)
    {
        try { return FinSucc(Eval(exprs, env, checkFinite)); }
        catch (FunctionalADException e) { return FinFail<Tensor[]>(LanguageExt.Common.Error.New(e)); }
    }

    /// <summary>
    /// Compiles <paramref name="outputs"/> (typically a loss and its gradients) as a function of <paramref name="inputs"/>
    /// into a <see cref="CompiledFunction"/>: fused, scheduled, with preallocated memory, allocation-free and
    /// thread-safe to run. Every variable the outputs depend on must be listed. Listing a <see cref="Variable"/>'s
    /// <see cref="Variable.Var"/> makes its reads inside the outputs inputs too.
    /// </summary>
    /// <remarks>Each of <paramref name="inputs"/> must be a variable made with <c>Var</c> (or a <c>Variable</c>).</remarks>
    public static CompiledFunction Compile(Expr[] outputs, params Expr[] inputs)
    {
        var vars = Ex.RequireVars(inputs, "Ad.Compile", nameof(inputs));
        return Compiler.Run(Reads.ToLeaves(RequireAll(outputs, nameof(outputs), "Compile"), vars), vars);
    }

    /// <summary>Lowers expressions once into a reusable plan.</summary>
    public static Plan Lower(params Expr[] outputs) => FunctionalAD.Lower.Run(RequireAll(outputs, nameof(outputs), "Lower"));

    // ---- checks ----

    private static void RequireScalar(Expr y, string what)
    {
        if (y.Shape.Size != 1)
            throw new DerivativeException($"{what}: the target has shape {y.Shape}, but a gradient needs a single number. " +
                "Reduce it (Sum, Mean), or use Ad.Vjp with a cotangent or Ad.Jacobian for a non-scalar output.");
    }

    /// <summary><paramref name="es"/>, after checking neither it nor any element is null (an <see cref="ArgumentNullException"/> naming the index).</summary>
    internal static T[] RequireAll<T>(T[]? es, string param, string what) where T : class
    {
        Ex.NotNull(es, param, what);
        for (int i = 0; i < es!.Length; i++)
            if (es[i] is null) throw new ArgumentNullException(param, $"{what}: {param}[{i}] is null");
        return es;
    }

    private static void RequireSources(IEnumerable<Expr> wrt, string what)
    {
        Ex.NotNull(wrt, nameof(wrt), what);
        foreach (var x in wrt)
        {
            if (x is null) throw new DerivativeException($"{what}: a variable to differentiate by is null");
            if (!x.DType.IsFloat()) throw new DTypeException($"{what}: cannot differentiate with respect to {x}, which is {x.DType.Name()}; only float tensors have derivatives");
        }
    }
}
