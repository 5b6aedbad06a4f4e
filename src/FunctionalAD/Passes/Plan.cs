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
    internal int[] Outputs { get; }

    internal Plan(int slots, (Var, int)[] vars, (Tensor, int)[] consts, Step[] steps, int[] outputs)
    {
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

    /// <summary>Runs the plan with the variables bound in <paramref name="env"/>.</summary>
    public Tensor[] Run(Env env, bool checkFinite = false) => Execute.Run(this, Ex.NotNull(env, nameof(env), "Plan.Run"), checkFinite);
}
