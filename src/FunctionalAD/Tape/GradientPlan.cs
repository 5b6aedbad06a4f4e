namespace FunctionalAD;

/// <summary>
/// The cached gradient of one structure of recorded tape work: the reverse pass derived once over placeholder
/// leaves and compiled, so a training loop that rebuilds the same graph each step with new data and new variable
/// values only runs it. Holds no user data.
/// </summary>
internal sealed class GradientPlan
{
    /// <summary>The kind that keeps tape-gradient keys apart from evaluation keys in the <see cref="PlanCache"/>.</summary>
    public const int Kind = 1;

    private readonly Var[] _inputs;
    private readonly Expr?[] _grads;
    private readonly int[] _outputOf;
    private readonly CompiledFunction? _function;
    /// <summary>For each input of the compiled function, the leaf it takes (the gradient may not need every leaf).</summary>
    private readonly int[] _used;

    private GradientPlan(Var[] inputs, Expr?[] grads, int[] outputOf, CompiledFunction? function)
    {
        _used = function is null ? [] : function.Inputs.Select(v => Array.IndexOf(inputs, v)).ToArray();
        _inputs = inputs;
        _grads = grads;
        _outputOf = outputOf;
        _function = function;
    }

    /// <summary>
    /// Derives the gradient over the canonical form of <paramref name="a"/> (roots: target, seed), passing only
    /// through the applications at <paramref name="through"/>, for sources made of the nodes at <paramref name="groups"/>.
    /// </summary>
    public static GradientPlan Build(Abstracted a, IReadOnlyList<int> through, int[][] groups)
    {
        var (canon, inputs) = a.Canonical();
        var pass = new HashSet<Expr>(through.Select(i => canon[i]), ReferenceEqualityComparer.Instance);
        var nodes = groups.SelectMany(g => g).Distinct().ToArray();
        var raw = Reverse.Vjp(canon[a.Roots[0]], canon[a.Roots[1]], nodes.Select(i => canon[i]).ToArray(), pass.Contains);
        var byNode = new Dictionary<int, Expr?>();
        for (int i = 0; i < nodes.Length; i++) byNode[nodes[i]] = raw[i];
        var grads = groups.Select(g => GradientTape.SumOf(g.Select(i => byNode[i]))).ToArray();
        var outputs = new List<Expr>();
        var outputOf = new int[grads.Length];
        for (int g = 0; g < grads.Length; g++)
        {
            outputOf[g] = grads[g] is null ? -1 : outputs.Count;
            if (grads[g] is { } e) outputs.Add(e);
        }
        var used = new HashSet<Expr>(Graph.Reachable(outputs).OfType<Var>(), ReferenceEqualityComparer.Instance);
        var fn = outputs.Count == 0 ? null : Compiler.Run(outputs.ToArray(), inputs.Where(used.Contains).ToArray());
        return new GradientPlan(inputs, grads, outputOf, fn);
    }

    /// <summary>Runs the plan on the leaves' values; each result's expression (over the real leaves) is built only when asked for.</summary>
    public EagerTensor?[] Run(Tensor[] values, Expr[] leaves)
    {
        Tensor[] outs = [];
        if (_function is { } fn)
        {
            var args = values;
            if (!UsesEveryLeaf(values.Length))
            {
                args = new Tensor[_used.Length];
                for (int k = 0; k < args.Length; k++) args[k] = values[_used[k]];
            }
            outs = fn.Run(args);
        }
        var results = new EagerTensor?[_grads.Length];
        Rebinding? rebinding = null;
        for (int g = 0; g < results.Length; g++)
        {
            if (_outputOf[g] < 0) continue;
            results[g] = new EagerTensor(rebinding ??= new Rebinding(this, leaves), g, outs[_outputOf[g]]);
        }
        return results;
    }

    /// <summary>True when the compiled function takes every leaf, in order (the usual case): the values pass as they are.</summary>
    private bool UsesEveryLeaf(int leaves)
    {
        if (_used.Length != leaves) return false;
        for (int k = 0; k < _used.Length; k++)
            if (_used[k] != k) return false;
        return true;
    }

    /// <summary>The gradients' expressions over the real leaves, each built only if someone asks for it.</summary>
    private sealed class Rebinding(GradientPlan plan, Expr[] leaves) : EagerTensor.Deferred
    {
        public override Expr Make(int g) => plan.Rebind(plan._grads[g]!, leaves);
    }

    private Expr Rebind(Expr grad, Expr[] leaves)
    {
        var map = new Dictionary<Expr, Expr>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _inputs.Length; i++) map[_inputs[i]] = leaves[i];
        return Substitute.Run(new[] { grad }, map)[0];
    }
}
