using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// Turns a fusion group into the instruction list of a <see cref="FusedStep{T}"/>: registers for members
/// (stored in place when the value is needed outside the group, tile scratch otherwise), loads for broadcast
/// operands, a multiply feeding only an add merged into one fused multiply-add, and scratch slots reused as
/// soon as a register is dead.
/// </summary>
internal static class FuseBuild
{
    public static FusedStep<T> Build<T>(Unit g, Func<Expr, Loc> locOf, ISet<Expr> exported, Func<Expr, double?> constScalar)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var regs = new List<Reg>();
        var prog = new List<FusedInstr>();
        var memberReg = new Dictionary<Expr, int>(ReferenceEqualityComparer.Instance);
        var cache = new Dictionary<(Expr, Access, bool), int>();
        var sums = new List<Loc>();
        bool rowMode = false, lse = false;
        int cols = g.Cols;

        int NewReg(Reg r) { regs.Add(r); return regs.Count - 1; }

        int Operand(Expr a, Shape domain, bool rowDomain)
        {
            var (b, s) = Fuser.Resolve(a, domain);
            var access = Fuser.Classify(b, s, domain);
            if (cache.TryGetValue((b, access, rowDomain), out var hit)) return hit;
            int r;
            if (memberReg.TryGetValue(b, out var m))
            {
                if (access == Access.Full) return m;
                // The only other way a member is read inside its group: a per-row value spread along its row.
                r = NewReg(new Reg(RegKind.TileFull, -1, default, 0));
                prog.Add(new FusedInstr(FusedKind.ExpandColumn, FusedCode.Other, null, r, m));
                rowMode = true;
            }
            else
            {
                var loc = locOf(b);
                switch (access)
                {
                    case Access.Full:
                        r = NewReg(new Reg(rowDomain ? RegKind.ExtRow : RegKind.ExtFull, -1, loc, 0));
                        break;
                    case Access.Scalar:
                        r = constScalar(b) is { } v ? NewReg(new Reg(RegKind.Scalar, -1, default, v)) : NewReg(new Reg(RegKind.ScalarLoc, -1, loc, 0));
                        break;
                    case Access.Periodic:
                        r = NewReg(new Reg(RegKind.TileFull, -1, default, 0));
                        prog.Add(new FusedInstr(FusedKind.LoadPeriodic, FusedCode.Other, null, r, NewReg(new Reg(RegKind.Whole, -1, loc, 0))) { Period = Math.Max(1, cols) });
                        break;
                    case Access.Column:
                    {
                        int rowReg = NewReg(new Reg(RegKind.ExtRow, -1, loc, 0));
                        r = NewReg(new Reg(RegKind.TileFull, -1, default, 0));
                        prog.Add(new FusedInstr(FusedKind.ExpandColumn, FusedCode.Other, null, r, rowReg));
                        rowMode = true;
                        break;
                    }
                    default:
                    {
                        var (dims, st) = Strided.Collapse(domain.ToArray(), domain.Strides(), s);
                        r = NewReg(new Reg(RegKind.TileFull, -1, default, 0));
                        prog.Add(new FusedInstr(FusedKind.LoadStrided, FusedCode.Other, null, r, NewReg(new Reg(RegKind.Whole, -1, loc, 0)))
                        { Dims = dims, Strides = st[1] });
                        break;
                    }
                }
            }
            cache[(b, access, rowDomain)] = r;
            return r;
        }

        int Dest(Apply m, FusedRole role)
        {
            bool row = role == FusedRole.Row;
            var reg = exported.Contains(m)
                ? new Reg(row ? RegKind.ExtRow : RegKind.ExtFull, -1, locOf(m), 0)
                : new Reg(row ? RegKind.TileRow : RegKind.TileFull, -1, default, 0);
            return memberReg[m] = NewReg(reg);
        }

        var fma = FindMultiplyAdds(g, exported);
        foreach (var m in g.Members)
        {
            var role = g.Roles[m];
            switch (role)
            {
                case FusedRole.Full or FusedRole.Row when m.Op is not Reduction:
                {
                    if (fma.ContainsKey(m) && fma[m] is null) continue;
                    bool rowDomain = role == FusedRole.Row;
                    if (fma.TryGetValue(m, out var pair) && pair is { } p)
                    {
                        int x = Operand(p.Mul[0], m.Shape, false), y = Operand(p.Mul[1], m.Shape, false), c = Operand(m[1 - p.Side], m.Shape, false);
                        if (regs[x].IsScalar) (x, y) = (y, x);
                        prog.Add(new FusedInstr(FusedKind.MulAdd, FusedCode.Other, null, Dest(m, role), x, y, c));
                        break;
                    }
                    var ops = m.Args.Select(a => Operand(a, m.Shape, rowDomain)).ToArray();
                    var code = FusedInstr.CodeOf(m.Op);
                    var kind = m.Op switch { UnaryElementwise => FusedKind.Unary, WhereOp => FusedKind.Select, _ => FusedKind.Binary };
                    var ins = new FusedInstr(kind, code, m.Op, Dest(m, role), ops[0], ops.Length > 1 ? ops[1] : -1, ops.Length > 2 ? ops[2] : -1)
                    { Cmp = m.Op is CompareOp cmp ? cmp.Kind : default };
                    prog.Add(ins);
                    break;
                }
                case FusedRole.Row:
                {
                    int src = Operand(m[0], m[0].Shape, false);
                    var kind = m.Op switch { SumOp => FusedKind.RowSum, MaxOp => FusedKind.RowMax, _ => FusedKind.RowLogSumExp };
                    lse |= kind == FusedKind.RowLogSumExp;
                    rowMode = true;
                    prog.Add(new FusedInstr(kind, FusedCode.Other, m.Op, Dest(m, role), src));
                    break;
                }
                case FusedRole.ScalarSum:
                {
                    var (b, _) = Fuser.Resolve(m[0], m[0].Shape);
                    bool ofRows = g.Roles.TryGetValue(b, out var rb) && rb == FusedRole.Row;
                    int src = Operand(m[0], m[0].Shape, ofRows);
                    prog.Add(new FusedInstr(FusedKind.ScalarSum, FusedCode.Other, m.Op, -1, src) { Acc = sums.Count });
                    sums.Add(locOf(m));
                    break;
                }
                case FusedRole.ColumnSum:
                {
                    int src = Operand(m[0], m[0].Shape, false);
                    rowMode = true;
                    prog.Add(new FusedInstr(FusedKind.ColumnSum, FusedCode.Other, m.Op, NewReg(new Reg(RegKind.Whole, -1, locOf(m), 0)), src));
                    break;
                }
            }
        }
        var (fullSlots, rowSlots) = AssignSlots(regs, prog);
        var what = string.Join(", ", g.Members.Where(m => !(fma.TryGetValue(m, out var f) && f is null))
            .Select(m => (fma.TryGetValue(m, out var f) && f is not null ? "fma" : m.Op.Name) + (g.Roles[m] switch
            {
                FusedRole.Row => "/row",
                FusedRole.ScalarSum => "/all",
                FusedRole.ColumnSum => "/col",
                _ => "",
            }) + (exported.Contains(m) ? "→" + locOf(m) : "")));
        return new FusedStep<T>(regs.ToArray(), prog.ToArray(), g.Domain.Size, g.Rows, cols, rowMode, fullSlots, rowSlots, lse, sums.ToArray(), what);
    }

    /// <summary>
    /// Adds one of whose arguments is a multiply used nowhere else: the add maps to (multiply, its side), the
    /// multiply to null (it is folded into the add). Needs at least one multiplied operand and, if the other is
    /// a single number, the addend to be stored values, which is what TensorPrimitives.FusedMultiplyAdd takes.
    /// </summary>
    private static Dictionary<Apply, (Apply Mul, int Side)?> FindMultiplyAdds(Unit g, ISet<Expr> exported)
    {
        var uses = new Dictionary<Expr, int>(ReferenceEqualityComparer.Instance);
        foreach (var m in g.Members)
            foreach (var a in m.Args)
            {
                var (b, _) = Fuser.Resolve(a, m.Op is Reduction ? a.Shape : m.Shape);
                uses[b] = uses.GetValueOrDefault(b) + 1;
            }
        bool IsScalar(Expr a, Shape d)
        {
            var (b, s) = Fuser.Resolve(a, d);
            return Fuser.Classify(b, s, d) == Access.Scalar;
        }
        var r = new Dictionary<Apply, (Apply, int)?>(ReferenceEqualityComparer.Instance);
        foreach (var n in g.Members)
        {
            if (n.Op is not AddOp || g.Roles[n] != FusedRole.Full) continue;
            for (int side = 0; side < 2; side++)
            {
                if (n[side] is not Apply { Op: MultiplyOp } p || p.Shape != n.Shape || r.ContainsKey(p)) continue;
                if (!g.Roles.TryGetValue(p, out var pr) || pr != FusedRole.Full || exported.Contains(p) || uses.GetValueOrDefault(p) != 1) continue;
                bool sx = IsScalar(p[0], p.Shape), sy = IsScalar(p[1], p.Shape), sc = IsScalar(n[1 - side], n.Shape);
                if ((sx && sy) || ((sx || sy) && sc)) continue;
                r[n] = (p, side);
                r[p] = null;
                break;
            }
        }
        return r;
    }

    /// <summary>Linear-scan allocation of scratch slots: a register's slot is free again after its last reader.</summary>
    private static (int Full, int Row) AssignSlots(List<Reg> regs, List<FusedInstr> prog)
    {
        var last = new int[regs.Count];
        Array.Fill(last, -1);
        for (int i = 0; i < prog.Count; i++)
            foreach (var o in new[] { prog[i].A, prog[i].B, prog[i].C })
                if (o >= 0) last[o] = i;
        var freeFull = new Stack<int>();
        var freeRow = new Stack<int>();
        int full = 0, row = 0;
        var live = new List<int>();
        for (int i = 0; i < prog.Count; i++)
        {
            for (int k = live.Count - 1; k >= 0; k--)
            {
                int reg = live[k];
                if (last[reg] >= i) continue;
                (regs[reg].Kind == RegKind.TileRow ? freeRow : freeFull).Push(regs[reg].Slot);
                live.RemoveAt(k);
            }
            int d = prog[i].Dst;
            if (d < 0 || !regs[d].IsTile || regs[d].Slot >= 0) continue;
            bool isRow = regs[d].Kind == RegKind.TileRow;
            int slot = isRow ? (freeRow.Count > 0 ? freeRow.Pop() : row++) : (freeFull.Count > 0 ? freeFull.Pop() : full++);
            regs[d] = regs[d] with { Slot = slot };
            live.Add(d);
        }
        return (full, row);
    }
}
