namespace FunctionalAD;

/// <summary>
/// Runs a <see cref="Plan"/>: binds leaves, then calls each step's kernel on a fresh result tensor, dropping
/// intermediate values after their last reader. With <c>checkFinite</c>, the first step that produces a
/// NaN or infinity stops the run and is named.
/// </summary>
internal static class Execute
{
    public static Tensor[] Run(Plan plan, Env env, bool checkFinite)
    {
        var slots = new Tensor?[plan.SlotCount];
        foreach (var (v, s) in plan.Vars) slots[s] = env[v];
        foreach (var (c, s) in plan.Consts) slots[s] = c;
        foreach (var (r, s) in plan.Reads) slots[s] = Reads.Value(r, env);
        foreach (var step in plan.Steps)
        {
            var args = new Tensor[step.Args.Length];
            for (int i = 0; i < args.Length; i++) args[i] = slots[step.Args[i]]!;
            var result = Tensor.Uninitialized(step.Node.Shape, step.Node.DType);
            step.Node.Op.Forward(args, result);
            if (checkFinite && !result.IsFinite())
                throw new NonFiniteException(step.Node,
                    $"{step.Node.Op.Name} produced a NaN or infinity (inputs finite: {string.Join(", ", args.Select(a => a.IsFinite()))})\n  at: {step.Node}");
            slots[step.Out] = result;
            foreach (var r in step.Release) slots[r] = null;
        }
        return plan.Outputs.Select(o => slots[o]!).ToArray();
    }
}
