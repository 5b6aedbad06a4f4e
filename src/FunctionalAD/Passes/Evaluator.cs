using System.Runtime.CompilerServices;

namespace FunctionalAD;

/// <summary>
/// The reference interpreter: Lower then Execute, one fresh tensor per step, with the plan of a single expression
/// cached on the expression. Users reach it through <see cref="Engine"/> (first uses, checked runs); tests compare
/// the compiled engine with it, and the compiler folds constants with it.
/// </summary>
internal static class Evaluator
{
    private static readonly ConditionalWeakTable<Expr, Plan> Cache = new();

    public static Plan PlanFor(IReadOnlyList<Expr> outputs) =>
        outputs.Count == 1 ? Cache.GetValue(outputs[0], e => Lower.Run(new[] { e })) : Lower.Run(outputs);

    public static Tensor[] Eval(IReadOnlyList<Expr> outputs, Env env, bool checkFinite = false) =>
        Execute.Run(PlanFor(outputs), env, checkFinite);
}
