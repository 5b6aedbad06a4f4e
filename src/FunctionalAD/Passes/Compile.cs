namespace FunctionalAD;

/// <summary>
/// Compiles expressions into a <see cref="CompiledFunction"/>: folds what depends on constants only,
/// fuses (<see cref="Fuser"/>), schedules the units in dependency order, gives every stored value a place
/// (outputs are written straight into the caller's tensors, the rest share an arena by liveness), and
/// builds one precomputed kernel step per unit.
/// </summary>
internal static class Compiler
{
    /// <summary>Compiles <paramref name="outputs"/> over <paramref name="inputs"/>; <paramref name="columnsFirst"/> = false keeps short-row groups row-major (for tests comparing the two).</summary>
    public static CompiledFunction Run(Expr[] outputs, Var[] inputs, bool columnsFirst = true)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        outputs = InlineCustom.Run(outputs);
        for (int i = 0; i < outputs.Length; i++)
            if (outputs[i] is null) throw new FunctionalADException($"Compile: output {i} is null");
        var inputIndex = new Dictionary<Var, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null) throw new FunctionalADException($"Compile: input {i} is null");
            if (!inputIndex.TryAdd(inputs[i], i)) throw new FunctionalADException($"Compile: variable '{inputs[i].Name}' is listed twice among the inputs");
        }

        var all = Graph.Reachable(outputs);
        foreach (var v in all.OfType<Var>())
            if (!inputIndex.ContainsKey(v))
                throw new FunctionalADException($"Compile: the outputs depend on variable '{v.Name}' {v.Shape}, which is not among the inputs; pass it to Ad.Compile");

        var folded = Fold(all, outputs);
        bool IsLeaf(Expr e) => e is Var or Const || folded.ContainsKey(e);

        // What runs: nodes reachable from the outputs without passing through a leaf, in creation (topological) order.
        var live = ReachableAbove(outputs, IsLeaf);
        var fuser = new Fuser(IsLeaf);
        foreach (var n in live)
            if (n is Apply a && !IsLeaf(a) && !a.Op.IsView) fuser.Add(a);

        // Which values must be stored: outputs, whatever a non-fused kernel reads, and group members read outside their group.
        var exported = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        void Need(Expr e)
        {
            if (IsLeaf(e)) return;
            if (fuser.UnitOf.TryGetValue(e, out var u))
            {
                if (u.IsGroup) exported.Add(e);
                return;
            }
            var v = (Apply)e;
            // A view that is not an alias of its argument's storage (a broadcast) is materialised by its own step.
            if (!v.Op.IsAlias)
            {
                var mu = new Unit(v.Shape, v.DType, isGroup: false);
                mu.Members.Add(v);
                mu.Roles[v] = FusedRole.Full;
                fuser.UnitOf[v] = mu;
                fuser.Units.Add(mu);
            }
            Need(v.Arg(0));
        }
        foreach (var o in outputs) Need(o);
        foreach (var u in fuser.Units.ToArray())
            foreach (var m in u.Members.ToArray())
            {
                if (u.IsGroup && u.Roles[m] is FusedRole.ScalarSum or FusedRole.ColumnSum) exported.Add(m);
                foreach (var a in m.Args)
                {
                    if (!u.IsGroup) { Need(a); continue; }
                    var (b, _) = Fuser.Resolve(a, m.Op is Reduction ? a.Shape : m.Shape);
                    if (!u.Roles.ContainsKey(b)) Need(b);
                }
            }

        // Storage roots: aliases (reshape, stop_gradient) share their argument's storage.
        Expr Root(Expr e) => e is Apply { Op.IsAlias: true } al && !fuser.UnitOf.ContainsKey(al) ? Root(al.Arg(0)) : e;
        var reads = new Dictionary<Unit, List<Expr>>();
        foreach (var u in fuser.Units)
        {
            var r = new List<Expr>();
            foreach (var m in u.Members)
                foreach (var a in m.Args)
                {
                    var b = u.IsGroup ? Fuser.Resolve(a, m.Op is Reduction ? a.Shape : m.Shape).Base : a;
                    if (u.IsGroup && u.Roles.ContainsKey(b)) continue;
                    r.Add(Root(b));
                }
            reads[u] = r;
        }
        var order = Schedule(fuser, reads);

        // Places: leaves first, then outputs written in place, then the arena by liveness.
        var consts = new List<Array>();
        var loc = new Dictionary<Expr, Loc>(ReferenceEqualityComparer.Instance);
        foreach (var e in live.Concat(outputs).SelectMany(n => n.Args.Append(n)).Distinct(ReferenceEqualityComparer.Instance).Cast<Expr>())
        {
            if (!IsLeaf(e) || loc.ContainsKey(e)) continue;
            if (e is Var v) loc[e] = new Loc(LocKind.Input, inputIndex[v], 0, v.Shape.Size, v.DType);
            else
            {
                var t = e is Const c ? c.Value : folded[e];
                consts.Add(t.KeptData());  // a folded value's tensor dies here; its pooled storage must not
                loc[e] = new Loc(LocKind.Const, consts.Count - 1, 0, t.Size, t.DType);
            }
        }
        var copies = new List<(Expr Root, int Output)>();
        for (int i = 0; i < outputs.Length; i++)
        {
            var r = Root(outputs[i]);
            if (!IsLeaf(r) && !loc.ContainsKey(r)) loc[r] = new Loc(LocKind.Output, i, 0, r.Shape.Size, r.DType);
            else copies.Add((r, i));
        }
        var arena = AllocateArena(order, reads, copies, exported, loc);

        Loc LocOf(Expr e) => loc[Root(e)];
        double? ConstScalar(Expr e) => IsLeaf(e) && e is not Var && e.Shape.Size == 1 ? (e is Const c ? c.Value : folded[e]).At(0) : null;

        var steps = new List<Step>();
        int tileF = 0, tileD = 0;
        foreach (var u in order)
        {
            if (u.IsGroup)
            {
                if (u.DType == DType.Float32)
                {
                    var (s, scratch) = FuseBuild.Build<float>(u, LocOf, exported, ConstScalar, columnsFirst);
                    tileF = Math.Max(tileF, scratch);
                    steps.Add(s);
                }
                else
                {
                    var (s, scratch) = FuseBuild.Build<double>(u, LocOf, exported, ConstScalar, columnsFirst);
                    tileD = Math.Max(tileD, scratch);
                    steps.Add(s);
                }
            }
            else steps.Add(StepFactory.For(u.Members[0], LocOf));
        }
        foreach (var (r, i) in copies)
        {
            var src = loc[r];
            var dst = new Loc(LocKind.Output, i, 0, outputs[i].Shape.Size, outputs[i].DType);
            var shape = new Shape(dst.Length);
            steps.Add(StepFactory.Copy(src, dst, shape, $"output {i}"));
        }
        return new CompiledFunction(inputs.ToArray(), outputs.ToArray(), steps.ToArray(), consts.ToArray(),
            arena[DType.Float32], arena[DType.Float64], arena[DType.Int32], tileF, tileD);
    }

    /// <summary>
    /// Evaluates, once, every application that depends on no variable and is read by one that does (or is an
    /// output). Broadcasts of such values stay symbolic so fused kernels read them without materialising.
    /// </summary>
    private static Dictionary<Expr, Tensor> Fold(List<Expr> all, Expr[] outputs)
    {
        var varying = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        foreach (var n in all)
            if (n is Var || n.Args.Any(varying.Contains)) varying.Add(n);
        var frontier = new List<Expr>();
        var seen = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        void Mark(Expr e)
        {
            if (e is not Apply a || varying.Contains(e) || !seen.Add(e)) return;
            if (a.Op.IsView) Mark(a.Arg(0));
            else frontier.Add(e);
        }
        foreach (var n in all)
            if (varying.Contains(n))
                foreach (var a in n.Args) Mark(a);
        foreach (var o in outputs) Mark(o);
        var r = new Dictionary<Expr, Tensor>(ReferenceEqualityComparer.Instance);
        if (frontier.Count == 0) return r;
        var values = Evaluator.Eval(frontier, Env.Empty);
        for (int i = 0; i < frontier.Count; i++) r[frontier[i]] = values[i];
        return r;
    }

    private static List<Expr> ReachableAbove(Expr[] roots, Func<Expr, bool> isLeaf)
    {
        var seen = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Expr>(roots);
        var list = new List<Expr>();
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (!seen.Add(e)) continue;
            list.Add(e);
            if (isLeaf(e)) continue;
            foreach (var a in e.Args) stack.Push(a);
        }
        list.Sort((a, b) => a.Id.CompareTo(b.Id));
        return list;
    }

    /// <summary>A topological order of the units, earliest-created first among those ready.</summary>
    private static List<Unit> Schedule(Fuser fuser, Dictionary<Unit, List<Expr>> reads)
    {
        var deps = new Dictionary<Unit, HashSet<Unit>>();
        var users = fuser.Units.ToDictionary(u => u, _ => new List<Unit>());
        foreach (var u in fuser.Units)
        {
            deps[u] = new HashSet<Unit>();
            foreach (var b in reads[u])
                if (fuser.UnitOf.TryGetValue(b, out var p) && p != u && deps[u].Add(p)) users[p].Add(u);
        }
        var ready = new SortedSet<Unit>(Comparer<Unit>.Create((a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.GetHashCode().CompareTo(b.GetHashCode())));
        var pending = fuser.Units.ToDictionary(u => u, u => deps[u].Count);
        foreach (var u in fuser.Units) if (pending[u] == 0) ready.Add(u);
        var order = new List<Unit>();
        while (ready.Count > 0)
        {
            var u = ready.Min!;
            ready.Remove(u);
            order.Add(u);
            foreach (var w in users[u])
                if (--pending[w] == 0) ready.Add(w);
        }
        if (order.Count != fuser.Units.Count) throw new InvalidOperationException("Compile: fusion produced a cyclic schedule");
        return order;
    }

    /// <summary>
    /// First-fit placement of every stored intermediate into one arena per dtype: a value occupies its slot from
    /// the step that writes it to the last step that reads it, so values whose lives do not overlap share memory.
    /// </summary>
    private static Dictionary<DType, int> AllocateArena(List<Unit> order, Dictionary<Unit, List<Expr>> reads,
        List<(Expr Root, int Output)> copies, HashSet<Expr> exported, Dictionary<Expr, Loc> loc)
    {
        var last = new Dictionary<Expr, int>(ReferenceEqualityComparer.Instance);
        for (int s = 0; s < order.Count; s++)
            foreach (var b in reads[order[s]]) last[b] = s;
        foreach (var (r, _) in copies) last[r] = order.Count;
        var free = new Dictionary<DType, List<(int Start, int Length)>>();
        var size = new Dictionary<DType, int> { [DType.Float32] = 0, [DType.Float64] = 0, [DType.Int32] = 0 };
        foreach (var d in size.Keys) free[d] = new List<(int, int)>();
        var active = new List<Expr>();
        for (int s = 0; s < order.Count; s++)
        {
            for (int k = active.Count - 1; k >= 0; k--)
            {
                var e = active[k];
                if (last.GetValueOrDefault(e, -1) >= s) continue;
                var l = loc[e];
                Release(free[l.DType], l.Offset, Round(l.Length));
                active.RemoveAt(k);
            }
            var u = order[s];
            foreach (var m in u.Members)
            {
                if (loc.ContainsKey(m)) continue;
                if (u.IsGroup && !exported.Contains(m)) continue;
                int n = Round(m.Shape.Size);
                int at = Take(free[m.DType], n);
                if (at < 0) { at = size[m.DType]; size[m.DType] += n; }
                loc[m] = new Loc(LocKind.Arena, 0, at, m.Shape.Size, m.DType);
                active.Add(m);
            }
        }
        return size;
    }

    // Slots are whole 64-byte lines, so values never share a cache line and vector loops start aligned to each other.
    private static int Round(int n) => Math.Max(16, (n + 15) / 16 * 16);

    private static int Take(List<(int Start, int Length)> free, int n)
    {
        for (int i = 0; i < free.Count; i++)
        {
            var (s, l) = free[i];
            if (l < n) continue;
            if (l == n) free.RemoveAt(i);
            else free[i] = (s + n, l - n);
            return s;
        }
        return -1;
    }

    private static void Release(List<(int Start, int Length)> free, int start, int n)
    {
        free.Add((start, n));
        free.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (int i = free.Count - 2; i >= 0; i--)
            if (free[i].Start + free[i].Length == free[i + 1].Start)
            {
                free[i] = (free[i].Start, free[i].Length + free[i + 1].Length);
                free.RemoveAt(i + 1);
            }
    }
}
