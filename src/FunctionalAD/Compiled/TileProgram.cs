using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FunctionalAD;

/// <summary>
/// Turns a row-wise fused program whose whole domain is one tile of fewer than 16 floats (W1's 2×3 logits) into one
/// body type over <see cref="VT"/> and <see cref="V"/>, run once: every instruction becomes a few register
/// operations, where the tiled step (<see cref="FusedShortRowsStep{T}"/>) pays a dispatch, spans and a padded
/// vector per instruction. Returns null for programs it cannot express; those keep running tiled, with the same bits.
/// </summary>
/// <remarks>Composed with <see cref="Type.MakeGenericType"/> as <see cref="VectorProgram"/> composes its loops, so it needs a JIT (docs/aot.md).</remarks>
internal static class TileProgram
{
    /// <summary>The body, the locations its pointers 0… point at (the last, P19, is <see cref="Indices"/>), the registers
    /// read into its broadcast numbers, the accumulator each lane of its sums feeds, and its permutation index table.</summary>
    public sealed record Plan(TileLoop Loop, Loc[] Pointers, int[] ScalarRegs, int[] SumAccs, float[] Indices)
    {
        /// <summary>Binds the pointers and numbers, runs the body once, adds its sums into <paramref name="acc"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(Workspace ws, Reg[] regs, double[]? acc)
        {
            var s = new VectorState();
            for (int k = 0; k < Pointers.Length; k++) VectorState.Bind(ref s, k, ws.Array<float>(Pointers[k]), Pointers[k].Offset);
            VectorState.Bind(ref s, VectorState.Pointers - 1, Indices, 0);
            for (int k = 0; k < ScalarRegs.Length; k++)
            {
                var r = regs[ScalarRegs[k]];
                // As the tiled steps read them: a compile-time number rounded to float once, a stored one read now.
                s.S(k) = Vector512.Create(r.Kind == RegKind.Scalar ? (float)r.Value : ws.Array<float>(r.Loc)[r.Loc.Offset]);
            }
            Loop.Run(ref s);
            for (int a = 0; a < SumAccs.Length; a++) acc![SumAccs[a]] += s.A0.GetElement(a);
        }
    }

    private const int DataPointers = VectorState.Pointers - 1;

    private static readonly Type[] Nums = VectorProgram.Nums;

    /// <summary>Whether a tile of <paramref name="rows"/> × <paramref name="cols"/> fits one program: at least one element and fewer than 16.</summary>
    public static bool Fits(int rows, int cols) => rows >= 1 && cols >= 1 && rows * cols < 16;

    /// <summary>The one-register program for <paramref name="prog"/> over a rows × cols domain, or null where it cannot be expressed.</summary>
    [RequiresDynamicCode("Composes the body type over value types with MakeGenericType; guard calls with IsDynamicCodeSupported.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = VectorProgram.TrimSafe)]
    [UnconditionalSuppressMessage("Trimming", "IL2076", Justification = VectorProgram.TrimSafe)]
    public static Plan? TryBuild(Reg[] regs, FusedInstr[] prog, int rows, int cols)
    {
        if (!Vector512.IsHardwareAccelerated || !Avx512F.IsSupported || !Fits(rows, cols)) return null;
        int n = rows * cols;
        Type R = Nums[rows], C = Nums[cols], N = Nums[n];
        if (!NoStoreOverlapsALoad(regs, prog)) return null;

        var lastUse = new int[regs.Length];
        var uses = new int[regs.Length];
        var written = new bool[regs.Length];
        for (int t = 0; t < prog.Length; t++)
        {
            foreach (var o in new[] { prog[t].A, prog[t].B, prog[t].C })
                if (o >= 0) (lastUse[o], uses[o]) = (t, uses[o] + 1);
            if (prog[t].Dst >= 0) written[prog[t].Dst] = true;
        }
        // A scratch value read once, by the very next instruction, is nested into it instead of going through a
        // register: the whole chain then stays in machine registers.
        var inline = new Dictionary<int, (Type Tree, int Depth)>();
        var slot = new int[regs.Length];
        Array.Fill(slot, -1);
        var free = new Stack<int>(Enumerable.Range(0, VectorState.Registers).Reverse());
        var pointers = new List<Loc>();
        var scalars = new List<int>();
        var sums = new List<int>();
        var statements = new List<Type>();

        Type? Pointer(Loc l)
        {
            int k = pointers.IndexOf(l);
            if (k < 0)
            {
                if (pointers.Count == DataPointers) return null;
                k = pointers.Count;
                pointers.Add(l);
            }
            return Nums[k];
        }

        Type? Operand(int r)
        {
            var g = regs[r];
            if (inline.Remove(r, out var nested)) return nested.Tree;
            if (slot[r] >= 0) return VectorProgram.Generic(typeof(VT.Reg<>), Nums[slot[r]]);
            if (g.IsScalar)
            {
                int k = scalars.IndexOf(r);
                if (k < 0)
                {
                    if (scalars.Count == VectorState.Scalars) return null;
                    k = scalars.Count;
                    scalars.Add(r);
                }
                return VectorProgram.Generic(typeof(V.Scalar<>), Nums[k]);
            }
            if (written[r]) return null;
            return g.Kind switch
            {
                RegKind.ExtFull => VectorProgram.Generic(typeof(VT.Load<,>), Pointer(g.Loc), N),
                RegKind.ExtRow => VectorProgram.Generic(typeof(VT.LoadRows<,,>), Pointer(g.Loc), R, C),
                _ => null,
            };
        }

        for (int t = 0; t < prog.Length; t++)
        {
            var ins = prog[t];
            int depth = 1 + new[] { ins.A, ins.B, ins.C }.Max(o => o >= 0 && inline.TryGetValue(o, out var x) ? x.Depth : 0);
            Type? value = ins.Kind switch
            {
                FusedKind.Unary => VectorProgram.Generic(typeof(VT.Map<,,>), ((UnaryElementwise)ins.Op!).Operator.Operator, N, Operand(ins.A)),
                FusedKind.Binary => VectorProgram.Generic(typeof(V.Binary<,,>), ((BinaryElementwise)ins.Op!).Operator.Operator, Operand(ins.A), Operand(ins.B)),
                FusedKind.Select => VectorProgram.Generic(typeof(V.Select<,,>), Operand(ins.A), Operand(ins.B), Operand(ins.C)),
                FusedKind.RowSum => VectorProgram.Generic(typeof(VT.RowSum<,>), Operand(ins.A), C),
                FusedKind.RowMax => VectorProgram.Generic(typeof(VT.RowMax<,>), Operand(ins.A), C),
                FusedKind.RowLogSumExp => VectorProgram.Generic(typeof(VT.RowLogSumExp<,,>), Operand(ins.A), C, N),
                // A per-row value is already spread along its row.
                FusedKind.ExpandColumn => Operand(ins.A),
                FusedKind.LoadPeriodic when ins.Period == cols => VectorProgram.Generic(typeof(VT.LoadPeriodic<,>), Pointer(regs[ins.A].Loc), C),
                FusedKind.ScalarSum or FusedKind.ColumnSum => Operand(ins.A),
                _ => null,
            };
            if (value is null) return null;
            // Operands read for the last time give their registers back before the result takes one.
            foreach (var o in new[] { ins.A, ins.B, ins.C })
                if (o >= 0 && lastUse[o] == t && slot[o] >= 0) { free.Push(slot[o]); slot[o] = -1; }

            if (ins.Kind == FusedKind.ScalarSum)
            {
                if (sums.Count == 16 || regs[ins.A].IsScalar) return null;
                var lane = Nums[sums.Count];
                sums.Add(ins.Acc);
                statements.Add(regs[ins.A].IsRow
                    ? VectorProgram.Generic(typeof(VT.SumLanes<,,,>), value, R, C, lane)!
                    : VectorProgram.Generic(typeof(VT.SumLanes<,,,>), value, N, Nums[1], lane)!);
                continue;
            }
            if (ins.Kind == FusedKind.ColumnSum)
            {
                var stmt = VectorProgram.Generic(typeof(VT.ColumnSum<,,,>), Pointer(regs[ins.Dst].Loc), R, C, value);
                if (stmt is null) return null;
                statements.Add(stmt);
                continue;
            }
            var d = regs[ins.Dst];
            bool readLater = lastUse[ins.Dst] > t;
            if (d.Kind is RegKind.TileFull or RegKind.TileRow && uses[ins.Dst] == 1 && lastUse[ins.Dst] == t + 1 && depth < VectorProgram.MaxDepth)
            {
                inline[ins.Dst] = (value, depth);
                continue;
            }
            if (d.Kind is RegKind.TileFull or RegKind.TileRow || readLater)
            {
                if (!free.TryPop(out var k)) return null;
                slot[ins.Dst] = k;
                statements.Add(VectorProgram.Generic(typeof(VT.SetReg<,>), Nums[k], value)!);
                value = VectorProgram.Generic(typeof(VT.Reg<>), Nums[k])!;
            }
            if (d.Kind is RegKind.ExtFull or RegKind.ExtRow)
            {
                var store = d.Kind == RegKind.ExtFull
                    ? VectorProgram.Generic(typeof(VT.Store<,,>), Pointer(d.Loc), N, value)
                    : VectorProgram.Generic(typeof(VT.StoreRows<,,,>), Pointer(d.Loc), R, C, value);
                if (store is null) return null;
                statements.Add(store);
            }
            else if (d.Kind is not (RegKind.TileFull or RegKind.TileRow)) return null;
        }
        var body = VectorProgram.Sequence(statements.Select(t => VectorProgram.Generic(typeof(VT.Call<>), t)!).ToList(), 0, statements.Count);
        var loop = (TileLoop)Activator.CreateInstance(typeof(TileLoop<>).MakeGenericType(body))!;
        return new Plan(loop, pointers.ToArray(), scalars.ToArray(), sums.ToArray(), Indices(rows, cols));
    }

    /// <summary>
    /// The tiled step reads every stored operand into its tile before it stores anything, where this program loads an
    /// operand when it is used (a value it stored and reads again comes from a register): so no location it stores may
    /// overlap one it loads.
    /// </summary>
    private static bool NoStoreOverlapsALoad(Reg[] regs, FusedInstr[] prog)
    {
        var written = prog.Where(i => i.Dst >= 0).Select(i => i.Dst).ToHashSet();
        var stored = prog.Where(i => i.Dst >= 0 && (regs[i.Dst].Kind is RegKind.ExtFull or RegKind.ExtRow || i.Kind == FusedKind.ColumnSum))
            .Select(i => regs[i.Dst].Loc).ToList();
        var loaded = prog.SelectMany(i => new[] { i.A, i.B, i.C })
            .Where(r => r >= 0 && !written.Contains(r) && regs[r].Kind is RegKind.ExtFull or RegKind.ExtRow).Select(r => regs[r].Loc)
            .Concat(prog.Where(i => i.Kind == FusedKind.LoadPeriodic).Select(i => regs[i.A].Loc)).ToList();
        return !stored.Any(s => loaded.Any(l => l.Kind == s.Kind && l.Index == s.Index && l.Offset < s.Offset + s.Length && s.Offset < l.Offset + l.Length));
    }

    /// <summary>The permutation index table <see cref="VT"/> reads through the last pointer, as floats holding the int bits.</summary>
    private static float[] Indices(int rows, int cols)
    {
        int n = rows * cols;
        var table = new float[16 * (cols + 3 + rows)];
        void Set(int m, Func<int, int> lane)
        {
            for (int i = 0; i < 16; i++) table[m * 16 + i] = BitConverter.Int32BitsToSingle(lane(i));
        }
        for (int j = 0; j < cols; j++)
        {
            int col = j;
            Set(col, i => i < n ? i / cols * cols + col : i);
        }
        Set(cols, i => i < n ? i % cols : i);
        Set(cols + 1, i => i < n ? i / cols : i);
        Set(cols + 2, i => i < rows ? i * cols : i);
        for (int r = 0; r < rows; r++)
        {
            int row = r;
            Set(cols + 3 + row, i => i < cols ? row * cols + i : i);
        }
        return table;
    }
}
