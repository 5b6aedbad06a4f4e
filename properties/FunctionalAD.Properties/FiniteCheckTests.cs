using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Testing;
using FunctionalAD.Properties.Generators;
using FunctionalAD.Properties.Support;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>The opt-in finite check names the first node whose value is NaN or infinite, in values and in derivatives.</summary>
public class FiniteCheckTests
{
    /// <summary>A finite prefix, one poisoning step, and a suffix that may or may not hide the poison from the output.</summary>
    public sealed record PoisonCase(int Prefix, int Poison, int Suffix, int N, int Seed)
    {
        public Expr X => Ex.Var64("x", N);
        public Tensor Value => Numerics.Uniform(new Shape(N), Seed, 0.5, 1.5);

        private static readonly Func<Expr, Expr>[] Finite = { Ex.Tanh, Ex.Sigmoid, e => e * 0.5, Ex.Sin, e => e + 1.0 };
        private static readonly (string Op, Func<Expr, Expr> F)[] Poisons =
        {
            ("log", e => Ex.Log(e - 10.0)),            // log of a negative: NaN
            ("sqrt", e => Ex.Sqrt(-1.0 - e * e)),     // sqrt of a negative: NaN
            ("divide", e => e / (e - e)),             // division by zero: ±inf
            ("exp", e => Ex.Exp(e * 1000.0 + 1000.0)),   // overflow: inf
        };
        // The last two drop the poisoned elements again, so only an intermediate is non-finite.
        private static readonly Func<Expr, Expr>[] Suffixes =
            { e => e, Ex.Tanh, e => Ex.Sum(e), e => Ex.Where(Ex.Greater(e, e), e, 0.0), e => Ex.Slice(Ex.Concat(new[] { Ex.ZerosLike(e), e }), new[] { 0 }, new[] { e.Shape[0] }) };

        public string PoisonOp => Poisons[Poison].Op;

        /// <summary>The expression and the poisoning node inside it.</summary>
        public (Expr Output, Expr Poisoned) Build()
        {
            Expr e = X;
            for (int i = 0; i < Prefix; i++) e = Finite[(Seed + i) % Finite.Length](e);
            var poisoned = Poisons[Poison].F(e);
            return (Suffixes[Suffix](poisoned), poisoned);
        }

        public override string ToString() => $"{Build().Output}   where x{new Shape(N)} in [0.5, 1.5) (seed {Seed})";

        public static Arbitrary<PoisonCase> Arbitrary => Arb.From(
            from prefix in Gen.Choose(0, 3)
            from poison in Gen.Choose(0, Poisons.Length - 1)
            from suffix in Gen.Choose(0, Suffixes.Length - 1)
            from n in Gen.Choose(1, 4)
            from seed in Gen.Choose(0, 1 << 30)
            select new PoisonCase(prefix, poison, suffix, n, seed));
    }

    [Property(MaxTest = 100)]
    public Property The_check_names_the_first_non_finite_node() => Prop.ForAll(PoisonCase.Arbitrary, c =>
    {
        var (output, poisoned) = c.Build();
        var env = Env.Of((c.X, c.Value));
        Ad.Eval(output, env);   // without the check, the same evaluation runs to the end
        var e = Assert.Throws<NonFiniteException>(() => Ad.Eval(output, env, checkFinite: true));
        if (!ReferenceEquals(e.Node, poisoned))
            throw new PropertyFailure($"named {e.Node}, but the first non-finite node is {poisoned}:\n{e.Message}");
        Assert.Contains(c.PoisonOp, e.Message);
        Assert.Contains(poisoned.ToString(), e.Message);
        Assert.True(Ad.TryEval(new[] { output }, env, checkFinite: true).IsFail, "TryEval must return the failure as a value");
    });

    [Property(MaxTest = 100)]
    public Property In_a_derivative_the_named_node_is_non_finite_and_its_arguments_are_not() => Prop.ForAll(
        Arb.From(from n in Gen.Choose(1, 4) from zeros in Gen.ArrayOf(Gen.Elements(true, false), n).Where(z => z.Any(b => b)) select zeros),
        zeros =>
        {
            // d sqrt(x) = 1 / (2 sqrt(x)) is infinite at x = 0, though sqrt(0) itself is fine.
            var x = Ex.Var64("x", zeros.Length);
            var env = Env.Of((x, Tensor.From(zeros.Select(z => z ? 0.0 : 1.0).ToArray())));
            var grad = Ad.Grad(Ex.Sum(Ex.Sqrt(x) * 3.0), x)[0];
            var e = Assert.Throws<NonFiniteException>(() => Ad.Eval(grad, env, checkFinite: true));
            Assert.False(Ad.Eval(e.Node, env).IsFinite(), $"the named node {e.Node} is finite");
            Assert.All(e.Node.Args, a => Assert.True(Ad.Eval(a, env).IsFinite(), $"argument {a} of the named node is not finite"));
        });
}
