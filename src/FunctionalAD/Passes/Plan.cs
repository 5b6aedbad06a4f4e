namespace FunctionalAD;

/// <summary>
/// A lowered program: slots for every value, leaves (variables and constants) that fill slots from the
/// environment, and steps in dependency order that fill the rest. Immutable and reusable.
/// </summary>
public sealed class Plan
{
    internal sealed record Step(Apply Node, int[] Args, int Out, int[] Release);

    internal int SlotCount { get; }
    internal (Var Var, int Slot)[] Vars { get; }
    internal (Tensor Value, int Slot)[] Consts { get; }
    internal Step[] Steps { get; }
    internal (Const Read, int Slot)[] Reads { get; init; } = [];
    internal int[] Outputs { get; }

    /// <summary>The expressions the plan computes.</summary>
    internal Expr[] Roots { get; }

    internal Plan(int slots, (Var, int)[] vars, (Tensor, int)[] consts, Step[] steps, int[] outputs, Expr[] roots)
    {
        Roots = roots;
        SlotCount = slots;
        Vars = vars;
        Consts = consts;
        Steps = steps;
        Outputs = outputs;
    }

    /// <summary>The variables the plan reads.</summary>
    public IReadOnlyList<Var> Inputs => Vars.Select(v => v.Var).ToArray();

    /// <summary>Number of primitive applications executed per run.</summary>
    public int StepCount => Steps.Length;

    /// <summary>
    /// Runs the plan with the variables bound in <paramref name="env"/>, through the compiled plan cached for its
    /// structure (as <see cref="Ad.Eval(Expr[], Env?, bool)"/>); with <paramref name="checkFinite"/>, step by step
    /// in the reference interpreter, naming the first step whose value is NaN or infinite.
    /// </summary>
    public Tensor[] Run(Env env, bool checkFinite = false)
    {
        Ex.NotNull(env, nameof(env), "Plan.Run");
        return checkFinite ? Execute.Run(this, env, checkFinite: true) : Engine.Eval(Roots, env);
    }
}
