using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// Turns a fusion group into the instruction list of a <see cref="FusedStep{T}"/>: registers for members
/// (stored in place when the value is needed outside the group, tile scratch otherwise), loads for broadcast
/// operands, and scratch slots reused as
/// soon as a register is dead.
/// </summary>
internal static class FuseBuild
{
    /// <summary>The group's step and the elements of tile scratch it needs; <paramref name="columnsFirst"/> lets short rows run columns first (<see cref="FusedShortRowsStep{T}"/>).</summary>
    public static (Step Step, int Scratch) Build<T>(Unit g, Func<Expr, Loc> locOf, ISet<Expr> exported, Func<Expr, double?> constScalar,
        bool columnsFirst = true)
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
                prog.Add(new FusedInstr(FusedKind.ExpandColumn, null, r, m));
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
                        prog.Add(new FusedInstr(FusedKind.LoadPeriodic, null, r, NewReg(new Reg(RegKind.Whole, -1, loc, 0))) { Period = Math.Max(1, cols) });
                        break;
                    case Access.Column:
                    {
                        int rowReg = NewReg(new Reg(RegKind.ExtRow, -1, loc, 0));
                        r = NewReg(new Reg(RegKind.TileFull, -1, default, 0));
                        prog.Add(new FusedInstr(FusedKind.ExpandColumn, null, r, rowReg));
                        rowMode = true;
                        break;
                    }
                    default:
                    {
                        var (dims, st) = Strided.Collapse(domain.ToArray(), domain.Strides(), s);
                        r = NewReg(new Reg(RegKind.TileFull, -1, default, 0));
                        prog.Add(new FusedInstr(FusedKind.LoadStrided, null, r, NewReg(new Reg(RegKind.Whole, -1, loc, 0)))
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

        foreach (var m in g.Members)
        {
            var role = g.Roles[m];
            switch (role)
            {
                case FusedRole.Full or FusedRole.Row when m.Op is not Reduction:
                {
                    bool rowDomain = role == FusedRole.Row;
                    var ops = m.Args.Select(a => Operand(a, m.Shape, rowDomain)).ToArray();
                    var kind = m.Op.Elementwise(m)!.Value;
                    prog.Add(new FusedInstr(kind, m.Op, Dest(m, role), ops[0], ops.Length > 1 ? ops[1] : -1, ops.Length > 2 ? ops[2] : -1));
                    break;
                }
                case FusedRole.Row:
                {
                    int src = Operand(m.Arg(0), m.Arg(0).Shape, false);
                    var kind = m.Op.RowReduction!.Value;
                    lse |= kind == FusedKind.RowLogSumExp;
                    rowMode = true;
                    prog.Add(new FusedInstr(kind, m.Op, Dest(m, role), src));
                    break;
                }
                case FusedRole.ScalarSum:
                {
                    var (b, _) = Fuser.Resolve(m.Arg(0), m.Arg(0).Shape);
                    bool ofRows = g.Roles.TryGetValue(b, out var rb) && rb == FusedRole.Row;
                    int src = Operand(m.Arg(0), m.Arg(0).Shape, ofRows);
                    prog.Add(new FusedInstr(FusedKind.ScalarSum, m.Op, -1, src) { Acc = sums.Count });
                    sums.Add(locOf(m));
                    break;
                }
                case FusedRole.ColumnSum:
                {
                    int src = Operand(m.Arg(0), m.Arg(0).Shape, false);
                    rowMode = true;
                    prog.Add(new FusedInstr(FusedKind.ColumnSum, m.Op, NewReg(new Reg(RegKind.Whole, -1, locOf(m), 0)), src));
                    break;
                }
            }
        }
        var (fullSlots, rowSlots) = AssignSlots(regs, prog);
        var what = string.Join(", ", g.Members
            .Select(m => m.Op.Name + (g.Roles[m] switch
            {
                FusedRole.Row => "/row",
                FusedRole.ScalarSum => "/all",
                FusedRole.ColumnSum => "/col",
                _ => "",
            }) + (exported.Contains(m) ? "→" + locOf(m) : "")));
        if (rowMode && columnsFirst && FusedShortRowsStep<T>.Fits(prog.ToArray(), cols))
        {
            var c = new FusedShortRowsStep<T>(regs.ToArray(), prog.ToArray(), g.Rows, cols, fullSlots, rowSlots, sums.ToArray(), what);
            return (c, c.ScratchSize);
        }
        var f = new FusedStep<T>(regs.ToArray(), prog.ToArray(), g.Domain.Size, g.Rows, cols, rowMode, fullSlots, rowSlots, lse, sums.ToArray(), what);
        return (f, f.ScratchSize);
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
