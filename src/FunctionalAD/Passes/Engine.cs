namespace FunctionalAD;

/// <summary>
/// The one evaluation path behind <see cref="Ad.Eval(Expr[], Env?, bool)"/>, <see cref="Expr.Eval(Env?)"/> and
/// <see cref="Plan.Run"/>: abstract the graph (<see cref="Abstracted"/>), bind its leaves, and run the compiled plan
/// cached for its structure in <see cref="PlanCache"/>. A structure not yet due for compiling, a checked run, or
/// one the compiler refuses runs through the reference interpreter (<see cref="Evaluator"/>), which computes the
/// same values with the same kernels.
/// </summary>
internal static class Engine
{
    private const int EvalKind = 0;

    public static Tensor[] Eval(IReadOnlyList<Expr> outputs, Env env, bool checkFinite = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        for (int i = 0; i < outputs.Count; i++)
            if (outputs[i] is null) throw new FunctionalADException($"Eval: expression {i} is null");
        if (checkFinite)
        {
            // Naming the first non-finite node needs every intermediate value, which only the interpreter keeps.
            PlanCache.CountInterpreted();
            return Evaluator.Eval(outputs, env, checkFinite: true);
        }
        var a = Abstracted.Shared(outputs, EvalKind);
        var values = a.Bind(env);
        if (a.HasEmpty)
        {
            PlanCache.CountInterpreted();
            return Evaluator.Eval(outputs, env);
        }
        var (entry, uses) = PlanCache.Touch(a.Key());
        var fn = Compiled(entry, uses, a.Work, a, static a =>
        {
            var (canon, inputs) = a.Canonical();
            return Compiler.Run(a.Roots.Select(r => canon[r]).ToArray(), inputs);
        });
        if (fn is null)
        {
            PlanCache.CountInterpreted();
            return Evaluator.Eval(outputs, env);
        }
        return fn.Run(values);
    }

    /// <summary>
    /// Elements of work above which a structure compiles at its first use whatever <see cref="Settings.CompileAfterUses"/>
    /// says: compiling costs about as much as interpreting a graph of a few hundred thousand elements once (W2, W3)
    /// and much less than interpreting a memory-bound one (W4: 0.75 ms compiled against 30 ms interpreted).
    /// </summary>
    public const long EagerCompileWork = 1 << 16;

    /// <summary>
    /// The entry's compiled plan, compiling it now if this use reaches <see cref="Settings.CompileAfterUses"/> or the
    /// graph is big (<see cref="EagerCompileWork"/>); null when the structure is to be interpreted this time. One
    /// thread compiles a structure; others wait for it.
    /// </summary>
    public static T? Compiled<T, TState>(PlanCache.Entry entry, int uses, long work, TState state, Func<TState, T> compile) where T : class
    {
        if (entry.Plan is T ready) return ready;
        if (entry.Failed || (uses < Settings.CompileAfterUses && work < EagerCompileWork)) return null;
        lock (entry)
        {
            if (entry.Plan is T done) return done;
            if (entry.Failed) return null;
            // Compiling builds nodes over placeholders; no tape recording on this thread must see them.
            var recorder = Primitive.Built;
            Primitive.Built = null;
            try
            {
                var plan = compile(state);
                PlanCache.Store(entry, plan);
                return plan;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The interpreter computes the same values; the failure stays visible in PlanCache.Statistics.
                PlanCache.Fail(entry);
                return null;
            }
            finally { Primitive.Built = recorder; }
        }
    }
}
