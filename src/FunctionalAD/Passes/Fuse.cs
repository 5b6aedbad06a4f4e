namespace FunctionalAD;

/// <summary>How a member of a fusion group is laid over the group's domain.</summary>
internal enum FusedRole
{
    /// <summary>One value per element of the domain.</summary>
    Full,
    /// <summary>One value per row (the domain without its last axis): a row-wise reduction or arithmetic on such values.</summary>
    Row,
    /// <summary>The sum of every element: a number accumulated across tiles, usable only after the group.</summary>
    ScalarSum,
    /// <summary>The sum over every axis but the last: a row accumulated across tiles, usable only after the group.</summary>
    ColumnSum,
}

/// <summary>How an operand is read relative to the domain of the operation using it.</summary>
internal enum Access { Full, Scalar, Periodic, Column, Strided }

/// <summary>A unit of the schedule: a fusion group or a single node run by its own kernel.</summary>
internal sealed class Unit(Shape domain, DType dtype, bool isGroup)
{
    public readonly Shape Domain = domain;
    public readonly DType DType = dtype;
    public readonly bool IsGroup = isGroup;
    public readonly List<Apply> Members = new();
    public readonly Dictionary<Expr, FusedRole> Roles = new(ReferenceEqualityComparer.Instance);
    public readonly HashSet<Unit> Deps = new();
    /// <summary>Rows of the domain: all axes but the last, multiplied.</summary>
    public int Rows
    {
        get
        {
            int r = 1;
            for (int i = 0; i < Domain.Rank - 1; i++) r *= Domain[i];
            return r;
        }
    }
    /// <summary>Length of a row: the last axis.</summary>
    public int Cols => Domain.Rank == 0 ? 1 : Domain[-1];
    /// <summary>Creation order of the first member, to keep the schedule close to the program's order.</summary>
    public long Order => Members.Count > 0 ? Members[0].Id : 0;
}

/// <summary>
/// Fusion: groups element-wise applications that share a domain, together with the row-wise reductions
/// (sum, max, log-sum-exp over the last axis) and whole or per-column sums of their members, so one pass over
/// the data computes them all. A node joins the group of one of its arguments when the shapes line up and
/// no outside operand depends on the group (which would make the schedule cyclic); otherwise it starts a group.
/// Operands are read through broadcasts and size-1 reshapes without materialising them.
/// </summary>
internal sealed class Fuser(Func<Expr, bool> isLeaf)
{
    public readonly Dictionary<Expr, Unit> UnitOf = new(ReferenceEqualityComparer.Instance);
    public readonly List<Unit> Units = new();

    /// <summary>Element-wise applications fusion can take.</summary>
    public static bool IsElementwise(Apply a) =>
        a.DType.IsFloat() && a.Op.Elementwise(a) is { } k && (k != FusedKind.Select || SpansDomain(a.Arg(0), a.Shape));

    /// <summary>True when reading <paramref name="e"/> over <paramref name="domain"/> gives a value per element (not one broadcast number).</summary>
    private static bool SpansDomain(Expr e, Shape domain)
    {
        var (b, s) = Resolve(e, domain);
        return domain.Size <= 1 || Classify(b, s, domain) != Access.Scalar;
    }

    /// <summary>
    /// The node an operand really reads and its strides per axis of <paramref name="domain"/>, looking through
    /// broadcasts, size-1 reshapes and stop-gradients; null strides when the operand does not broadcast to it.
    /// </summary>
    public static (Expr Base, int[] Strides) Resolve(Expr e, Shape domain)
    {
        var (b, s) = Inner(e);
        return (b, Strided.Align(s, e.Shape, domain));
    }

    // Strides of the base per axis of e's own shape: each view says how it maps its argument's strides.
    private static (Expr, int[]) Inner(Expr e)
    {
        if (e is Apply { Op.IsView: true, Args.Count: 1 } v)
        {
            var (b, s) = Inner(v.Arg(0));
            if (v.Op.ViewStrides(v, s) is { } vs) return (b, vs);
        }
        return (e, e.Shape.Strides());
    }

    /// <summary>Classifies strides of a base over a domain.</summary>
    public static Access Classify(Expr b, int[] strides, Shape domain)
    {
        var own = domain.Strides();
        bool full = b.Shape.Size == domain.Size, scalar = true, periodic = true, column = true;
        int cols = domain.Rank == 0 ? 1 : domain[-1];
        for (int i = 0; i < domain.Rank; i++)
        {
            if (domain[i] == 1) continue;
            if (strides[i] != own[i]) full = false;
            if (strides[i] != 0) scalar = false;
            bool last = i == domain.Rank - 1;
            if (last ? strides[i] != 1 : strides[i] != 0) periodic = false;
            if (last ? strides[i] != 0 : strides[i] != own[i] / Math.Max(1, cols)) column = false;
        }
        if (full) return Access.Full;
        if (scalar && b.Shape.Size == 1) return Access.Scalar;
        if (periodic && b.Shape.Size == cols) return Access.Periodic;
        if (column && cols > 0 && b.Shape.Size * cols == domain.Size) return Access.Column;
        return Access.Strided;
    }

    /// <summary>Shape of one value per row of <paramref name="domain"/>, with or without the kept last axis.</summary>
    private static bool IsRowShape(Shape s, Shape domain)
    {
        if (domain.Rank == 0 || s == domain) return false;
        var lead = domain.Take(domain.Rank - 1).ToArray();
        return s == new Shape(lead) || s == new Shape(lead.Append(1).ToArray());
    }

    public void Add(Apply n)
    {
        if (TryFuse(n)) return;
        var u = new Unit(n.Shape, n.DType, isGroup: false);
        Join(u, n, FusedRole.Full);
    }

    private bool TryFuse(Apply n)
    {
        if (IsElementwise(n))
        {
            foreach (var a in n.Args)
            {
                var (b, _) = Resolve(a, n.Shape);
                if (!UnitOf.TryGetValue(b, out var g) || !g.IsGroup || g.DType != n.DType) continue;
                FusedRole? role = n.Shape == g.Domain ? FusedRole.Full : IsRowShape(n.Shape, g.Domain) ? FusedRole.Row : null;
                if (role is { } r && CanJoin(n, g, r)) { Join(g, n, r); return true; }
            }
            // No argument's group fits: join a group over the same domain anyway (horizontal fusion), so
            // independent chains over the same data share one pass, rather than open another.
            for (int i = Units.Count - 1; i >= 0; i--)
            {
                var g = Units[i];
                if (g.IsGroup && g.DType == n.DType && g.Domain == n.Shape && CanJoin(n, g, FusedRole.Full)) { Join(g, n, FusedRole.Full); return true; }
            }
            var fresh = new Unit(n.Shape, n.DType, isGroup: true);
            Join(fresh, n, FusedRole.Full);
            return true;
        }
        if (n.Op is not Reduction { RowReduction: not null } red || !n.DType.IsFloat()) return false;
        var x = n.Arg(0);
        int rank = x.Rank;
        FusedRole? kind =
            red.FusesWholeSums && red.Axes.Length == rank && rank >= 1 ? FusedRole.ScalarSum :
            rank >= 1 && red.Axes.Length == 1 && red.Axes[0] == rank - 1 ? FusedRole.Row :
            red.FusesWholeSums && rank >= 2 && red.Axes.Length == rank - 1 && red.Axes.SequenceEqual(Enumerable.Range(0, rank - 1)) ? FusedRole.ColumnSum :
            null;
        if (kind is not { } k) return false;
        var (xb, xs) = Resolve(x, x.Shape);
        // Row kernels walk stored rows; a broadcast input is materialised by a plain reduction instead.
        if (Classify(xb, xs, x.Shape) != Access.Full) return false;
        if (UnitOf.TryGetValue(xb, out var grp) && grp.IsGroup && grp.DType == n.DType)
        {
            bool fits = (x.Shape == grp.Domain && grp.Roles[xb] == FusedRole.Full)
                || (k == FusedRole.ScalarSum && grp.Roles[xb] == FusedRole.Row && IsRowShape(x.Shape, grp.Domain));
            if (fits && Classify(xb, xs, x.Shape) == Access.Full && CanJoin(n, grp, k)) { Join(grp, n, k); return true; }
        }
        if (k == FusedRole.ColumnSum) return false;
        var g2 = new Unit(x.Shape, n.DType, isGroup: true);
        Join(g2, n, k);
        return true;
    }

    private bool CanJoin(Apply n, Unit g, FusedRole role)
    {
        bool reduction = role is FusedRole.ScalarSum or FusedRole.ColumnSum || n.Op is Reduction;
        var domain = reduction ? n.Arg(0).Shape : n.Shape;
        foreach (var a in n.Args)
        {
            var (b, s) = Resolve(a, domain);
            var access = Classify(b, s, domain);
            if (g.Roles.TryGetValue(b, out var rb))
            {
                bool ok = reduction
                    ? access == Access.Full && (rb == FusedRole.Full || (role == FusedRole.ScalarSum && rb == FusedRole.Row))
                    : role == FusedRole.Full
                        ? (rb == FusedRole.Full && access == Access.Full) || (rb == FusedRole.Row && access == Access.Column)
                        : rb == FusedRole.Row && access == Access.Full;
                if (!ok) return false;
                continue;
            }
            if (role == FusedRole.Row && access is not (Access.Full or Access.Scalar)) return false;
            if (b.DType != g.DType) return false;
            // An alias (a reshape that moves elements between axes) is read from its producer's storage, so the
            // producer is what must not depend on the group.
            foreach (var p in Bases(b))
                if (!isLeaf(p) && UnitOf.TryGetValue(p, out var ub) && Reaches(ub, g)) return false;
        }
        return true;
    }

    /// <summary>True when unit <paramref name="from"/> depends, directly or not, on <paramref name="target"/>.</summary>
    private static bool Reaches(Unit from, Unit target)
    {
        if (from == target) return true;
        var seen = new HashSet<Unit>();
        var stack = new Stack<Unit>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            var u = stack.Pop();
            if (u == target) return true;
            if (!seen.Add(u)) continue;
            foreach (var d in u.Deps) stack.Push(d);
        }
        return false;
    }

    private void Join(Unit u, Apply n, FusedRole role)
    {
        if (u.Members.Count == 0) Units.Add(u);
        u.Members.Add(n);
        u.Roles[n] = role;
        UnitOf[n] = u;
        foreach (var a in n.Args)
            foreach (var b in Bases(a))
                if (UnitOf.TryGetValue(b, out var d) && d != u) u.Deps.Add(d);
    }

    /// <summary>The stored nodes reading <paramref name="e"/> reads: through views and aliases down to computed or leaf nodes.</summary>
    public IEnumerable<Expr> Bases(Expr e)
    {
        if (isLeaf(e)) { yield return e; yield break; }
        if (e is Apply { Op.IsView: true } v && !UnitOf.ContainsKey(v))
        {
            foreach (var b in Bases(v.Arg(0))) yield return b;
            yield break;
        }
        yield return e;
    }
}
