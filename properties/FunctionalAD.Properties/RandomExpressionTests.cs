using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using FunctionalAD.Properties.Support;
using static FunctionalAD.Properties.Support.Numerics;

namespace FunctionalAD.Properties;

/// <summary>
/// Derivatives of random well-typed expressions built from the catalogue: gradients, the adjoint identity of
/// JVP and VJP, second derivatives, and simplification, each against an independent reference.
/// </summary>
public class RandomExpressionTests
{
    private static double[] Eval1(Expr e, Env env) => Ad.Eval(e, env).ToArray<double>();
    private static double[][] EvalAll(Expr[] es, Env env) => Ad.Eval(es, env).Select(t => t.ToArray<double>()).ToArray();

    // A scalar that weighs every element of e differently, so a gradient that is right only on average fails.
    private static Expr Weighted(Expr e, int seed) => Ex.Sum(e * Ex.Const(Uniform(e.Shape, seed)));

    [Property(MaxTest = 100)]
    public Property Gradient_matches_central_differences() => Prop.ForAll(ExprCase.Arbitrary(), c =>
    {
        var (vars, values, env) = (c.Vars, c.Values, Bind(c.Vars, c.Values));
        var f = Weighted(c.Expr, c.Seed + 1);
        var grad = EvalAll(Ad.Grad(f, vars), env);
        Smoothness.RequireModerate(grad);
        Smoothness.RequireModerate(Eval1(c.Expr, env));
        var fd = Smoothness.Vjp(Ad.Lower(f), vars, values, new[] { 1.0 });
        for (int i = 0; i < vars.Length; i++)
            RequireClose(grad[i], fd[i], 1e-5, $"∂f/∂{vars[i].Name}, f = Σ w·({c.Expr})");
    });

    [Property(MaxTest = 100)]
    public Property Jvp_and_vjp_are_adjoint() => Prop.ForAll(ExprCase.Arbitrary(), c =>
    {
        var (vars, values, env) = (c.Vars, c.Values, Bind(c.Vars, c.Values));
        var y = c.Expr;
        var u = Uniform(y.Shape, c.Seed + 2);
        var v = vars.Select((x, i) => Uniform(x.Shape, c.Seed + 3 + i)).ToArray();
        var jv = Eval1(Ad.Jvp(y, vars, v.Select(t => (Expr)Ex.Const(t)).ToArray()), env);
        var jtu = EvalAll(Ad.Vjp(y, Ex.Const(u), vars), env);
        Smoothness.RequireModerate(jv);
        Smoothness.RequireModerate(jtu);
        double left = Dot(jv, u.ToArray<double>());
        double right = vars.Select((_, i) => Dot(v[i].ToArray<double>(), jtu[i])).Sum();
        double scale = jv.Sum(Math.Abs) + jtu.Sum(g => g.Sum(Math.Abs));
        if (!(Math.Abs(left - right) <= 1e-9 * (1 + scale)))
            throw new PropertyFailure($"<J v, u> = {left:R} but <v, Jᵀu> = {right:R} for {y}");
        var fd = Smoothness.Jvp(Ad.Lower(y), vars, values, v.Select(t => t.ToArray<double>()).ToArray());
        RequireClose(jv, fd, 1e-5, $"J v vs central differences for {y}");
    });

    [Property(MaxTest = 100)]
    public Property Gradient_of_gradient_matches_differences_of_the_gradient() => Prop.ForAll(ExprCase.Arbitrary(depth: 4), c =>
    {
        var (vars, values, env) = (c.Vars, c.Values, Bind(c.Vars, c.Values));
        var grads = Ad.Grad(Weighted(c.Expr, c.Seed + 1), vars);
        // s = Σᵢ ⟨wᵢ, ∇ᵢf⟩ is a scalar whose gradient is a Hessian-vector product.
        var s = grads.Select((g, i) => Weighted(g, c.Seed + 5 + i)).Aggregate((a, b) => a + b);
        var second = EvalAll(Ad.Grad(s, vars), env);
        Smoothness.RequireModerate(second);
        Smoothness.RequireModerate(EvalAll(grads, env));
        var fd = Smoothness.Vjp(Ad.Lower(s), vars, values, new[] { 1.0 });
        for (int i = 0; i < vars.Length; i++)
            RequireClose(second[i], fd[i], 1e-5, $"∂s/∂{vars[i].Name}, s = Σ w·∇(Σ w·({c.Expr}))");
    });

    [Property(MaxTest = 100)]
    public Property Simplify_preserves_values() => Prop.ForAll(ExprCase.Arbitrary(), c =>
    {
        var env = Bind(c.Vars, c.Values);
        var e = c.Expr;
        var raw = Eval1(e, env);
        Smoothness.RequireModerate(raw);
        RequireClose(Eval1(Ad.Simplify(e), env), raw, 1e-12, $"simplified {e}");

        // The gradient as reverse mode first writes it, before simplification, against Ad.Grad's simplified one.
        var f = Weighted(e, c.Seed + 1);
        var unsimplified = Reverse.Vjp(f, Ex.OnesLike(f), c.Vars).Select((g, i) => g ?? Ex.ZerosLike(c.Vars[i])).ToArray();
        var before = EvalAll(unsimplified, env);
        Smoothness.RequireModerate(before);
        var after = EvalAll(Ad.Grad(f, c.Vars), env);
        for (int i = 0; i < before.Length; i++)
            RequireClose(after[i], before[i], 1e-12, $"simplified ∂f/∂{c.Vars[i].Name}");
    });

    [Property(MaxTest = 100)]
    public Property Function_api_derivatives_compose_to_the_third_order() => Prop.ForAll(ExprCase.Arbitrary(depth: 3), c =>
    {
        // A scalar function of a scalar z, built by substituting z for every variable of the random expression.
        Expr F(Expr z) => Ex.Sum(Substitute.Run(new[] { c.Expr }, c.Vars.ToDictionary(v => (Expr)v, v => Ex.BroadcastTo(z, v.Shape)))[0]);
        var d2 = Ad.Grad(Ad.Grad(F));
        var d3 = Ad.Grad(Ad.Grad(Ad.Grad(F)));
        var z0 = Ex.Var64("z");
        var at = Numerics.Uniform(Shape.Scalar, c.Seed, -1.5, 1.5);
        double third = Ad.Eval(d3(z0), Env.Of((z0, at))).ToScalar();
        Smoothness.RequireModerate(new[] { third, Ad.Eval(d2(z0), Env.Of((z0, at))).ToScalar() });
        var fd = Smoothness.Vjp(Ad.Lower(d2(z0)), new[] { z0 }, new[] { at }, new[] { 1.0 })[0][0];
        RequireClose(new[] { third }, new[] { fd }, 1e-5, $"f'''(z) by Ad.Grad(Ad.Grad(Ad.Grad(f))), f(z) = {F(z0)}");
    });

    [Property(MaxTest = 100)]
    public Property Evaluating_together_equals_evaluating_apart() => Prop.ForAll(ExprCase.Arbitrary(), c =>
    {
        // Every intermediate of the expression and of its gradient, in one plan that shares and releases buffers.
        var env = Bind(c.Vars, c.Values);
        var roots = Ad.Grad(Ex.Sum(c.Expr), c.Vars).Append(c.Expr).ToArray();
        var nodes = Graph.Reachable(roots).OfType<Apply>().Cast<Expr>().ToArray();
        // The reference interpreter, whose buffer release this checks; the compiled engine is compared with it elsewhere.
        var together = Evaluator.Eval(nodes, env);
        for (int i = 0; i < nodes.Length; i++)
            RequireClose(together[i].ToArray<double>(), Evaluator.Eval(new[] { nodes[i] }, env)[0].ToArray<double>(), 0, $"{nodes[i]} evaluated with {nodes.Length - 1} others");
    });
}
