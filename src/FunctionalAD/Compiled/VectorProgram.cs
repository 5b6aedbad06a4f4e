using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// Turns a flat fused program (float32, element-wise operations and whole sums only) into one loop body type
/// over <see cref="V"/>, so the whole chain runs per vector in registers: each stored input is loaded once,
/// each stored result written once, nothing in between touches memory. Returns null for programs it cannot
/// express (row-wise work, broadcast loads, too many registers);
/// those keep running tile by tile.
/// </summary>
/// <remarks>
/// The loop body is a generic type composed at run time with <see cref="Type.MakeGenericType"/> over value types, which
/// needs a JIT: under native AOT (<see cref="RuntimeFeature.IsDynamicCodeSupported"/> false) the builder is compiled
/// away, and every fused group runs through the tiled path of <see cref="FusedStep{T}"/>, which computes the same values. docs/aot.md has the measured cost and why this design was chosen.
/// </remarks>
internal static class VectorProgram
{
    /// <summary>
    /// The AppContext switch that turns register fusion off in a JIT process (<c>true</c>: every fused group runs tiled),
    /// for comparing the two paths or avoiding the per-program JIT cost of the loop types.
    /// </summary>
    public const string DisableSwitch = "FunctionalAD.DisableRegisterFusion";

    /// <summary>
    /// Whether <see cref="DisableSwitch"/> turns register fusion off. Callers test
    /// <see cref="RuntimeFeature.IsDynamicCodeSupported"/> first, beside the call, where the analyzers and the AOT
    /// compiler read it as the guard of <see cref="TryBuild"/> (a property combining both is not recognised as one).
    /// </summary>
    public static bool Disabled { get; } = AppContext.TryGetSwitch(DisableSwitch, out var off) && off;

    /// <summary>The number types, N0 … N19: as many as the state has pointers.</summary>
    internal static readonly Type[] Nums =
    {
        typeof(N0), typeof(N1), typeof(N2), typeof(N3), typeof(N4), typeof(N5), typeof(N6), typeof(N7),
        typeof(N8), typeof(N9), typeof(N10), typeof(N11), typeof(N12), typeof(N13), typeof(N14), typeof(N15),
        typeof(N16), typeof(N17), typeof(N18), typeof(N19),
    };

    /// <summary>The loop, the registers bound to its pointers and scalars, the accumulator its sum feeds, and the row
    /// length it must be run row by row with (0: all at once).</summary>
    public sealed record Plan(VectorLoop Loop, int[] PointerRegs, int[] ScalarRegs, int[] SumAccs, int Period);

    /// <summary>
    /// Deepest nesting of one statement's expression type. The runtime loads, and the JIT inlines, a generic
    /// type recursively, so an unbounded nesting (a 60,000-node chain) overflows the stack; deeper values are
    /// kept in a register and read back, which costs nothing inside a loop body held in registers anyway.
    /// </summary>
    internal const int MaxDepth = 12;

    /// <summary>Most statements in one loop body; a longer program keeps running tile by tile (it is long enough to amortise the tiles).</summary>
    internal const int MaxStatements = 512;

    /// <summary>The register-fused loop for <paramref name="prog"/>, or null where it cannot be expressed.</summary>
    [RequiresDynamicCode("Composes loop-body types over value types with MakeGenericType; guard calls with IsEnabled.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = TrimSafe)]
    [UnconditionalSuppressMessage("Trimming", "IL2076", Justification = TrimSafe)]
    public static Plan? TryBuild(Reg[] regs, FusedInstr[] prog)
    {
        if (!Vector512.IsHardwareAccelerated) return null;
        if (prog.Length > MaxStatements * MaxDepth) return null;
        var depth = new Dictionary<Type, int>();
        int Depth(Type t)
        {
            if (depth.TryGetValue(t, out var d)) return d;
            d = 1;
            if (t.IsGenericType)
                foreach (var a in t.GetGenericArguments()) d = Math.Max(d, 1 + Depth(a));
            return depth[t] = d;
        }
        var pointer = new Dictionary<Loc, int>();
        var pointerRegs = new List<int>();
        var scalars = new Dictionary<int, int>();
        var sums = new List<int>();
        var statements = new List<Type>();
        // A scratch value read exactly once is not kept in a register: its expression is nested into its reader.
        var uses = new int[regs.Length];
        foreach (var ins in prog)
            foreach (var o in new[] { ins.A, ins.B, ins.C })
                if (o >= 0) uses[o]++;
        var inline = new Dictionary<int, Type>();
        // Operands repeated along rows are read in place, row by row, instead of being copied into a register.
        var periodic = new Dictionary<int, Type>();
        int period = 0;
        // A stored result read again later in the body is also kept in a register no scratch value uses, so the
        // reader takes it from there instead of loading back what was just stored.
        var freeSlots = new Stack<int>(Enumerable.Range(0, VectorState.Registers).Reverse()
            .Except(regs.Where(g => g.Kind == RegKind.TileFull).Select(g => g.Slot)));
        var kept = new Dictionary<int, Type>();

        Type? Operand(int r)
        {
            if (inline.Remove(r, out var tree)) return tree;
            if (periodic.TryGetValue(r, out var row)) return row;
            if (kept.TryGetValue(r, out var held)) return held;
            var reg = regs[r];
            switch (reg.Kind)
            {
                case RegKind.ExtFull:
                    return Generic(typeof(V.Load<>), Pointer(r));
                case RegKind.TileFull:
                    return reg.Slot < VectorState.Registers ? Generic(typeof(V.Reg<>), Nums[reg.Slot]) : null;
                case RegKind.Scalar or RegKind.ScalarLoc:
                    if (!scalars.TryGetValue(r, out var k))
                    {
                        if (scalars.Count == VectorState.Scalars) return null;
                        scalars[r] = k = scalars.Count;
                    }
                    return Generic(typeof(V.Scalar<>), Nums[k]);
                default:
                    return null;
            }
        }

        Type? Pointer(int r)
        {
            var l = regs[r].Loc;
            if (!pointer.TryGetValue(l, out var k))
            {
                if (pointer.Count == VectorState.Pointers) return null;
                pointer[l] = k = pointer.Count;
                pointerRegs.Add(r);
            }
            return Nums[k];
        }

        foreach (var ins in prog)
        {
            // A nested value is only safe in the very next instruction: later ones may reuse the registers it reads.
            foreach (var (r, tree) in inline.ToArray())
                if (r != ins.A && r != ins.B && r != ins.C)
                {
                    statements.Add(typeof(V.SetReg<,>).MakeGenericType(Nums[regs[r].Slot], tree));
                    inline.Remove(r);
                }
            if (ins.Kind == FusedKind.LoadPeriodic)
            {
                if (ins.Period % 16 != 0 || (period != 0 && period != ins.Period)) return null;
                period = ins.Period;
                var k = Pointer(ins.A);
                if (k is null) return null;
                periodic[ins.Dst] = Generic(typeof(V.LoadRow<>), k)!;
                continue;
            }
            Type? value = ins.Kind switch
            {
                FusedKind.Unary => Generic(typeof(V.Unary<,>), ((UnaryElementwise)ins.Op!).Operator.Operator, Operand(ins.A)),
                FusedKind.Binary => Generic(typeof(V.Binary<,,>), ((BinaryElementwise)ins.Op!).Operator.Operator, Operand(ins.A), Operand(ins.B)),
                FusedKind.Select => Generic(typeof(V.Select<,,>), Operand(ins.A), Operand(ins.B), Operand(ins.C)),
                FusedKind.ScalarSum => Operand(ins.A),
                _ => null,
            };
            if (value is null) return null;
            Type? stmt;
            if (ins.Kind == FusedKind.ScalarSum)
            {
                // One running sum lives in a register; programs with more keep running tile by tile.
                if (sums.Count == 1) return null;
                stmt = Generic(typeof(V.Accumulate<>), value);
                sums.Add(ins.Acc);
            }
            else if (regs[ins.Dst].Kind == RegKind.TileFull && regs[ins.Dst].Slot < VectorState.Registers && uses[ins.Dst] == 1
                && Depth(value) < MaxDepth)
            {
                inline[ins.Dst] = value;
                continue;
            }
            else
            {
                var d = regs[ins.Dst];
                if (d.Kind == RegKind.ExtFull && uses[ins.Dst] > 0 && freeSlots.TryPop(out var keep))
                {
                    kept[ins.Dst] = Generic(typeof(V.Reg<>), Nums[keep])!;
                    stmt = Generic(typeof(V.StoreKeep<,,>), Pointer(ins.Dst), Nums[keep], value);
                }
                else stmt = d.Kind switch
                {
                    RegKind.ExtFull => Generic(typeof(V.Store<,>), Pointer(ins.Dst), value),
                    RegKind.TileFull when d.Slot < VectorState.Registers => Generic(typeof(V.SetReg<,>), Nums[d.Slot], value),
                    _ => null,
                };
            }
            if (stmt is null) return null;
            statements.Add(stmt);
            if (statements.Count > MaxStatements) return null;
        }
        foreach (var (r, tree) in inline) statements.Add(typeof(V.SetReg<,>).MakeGenericType(Nums[regs[r].Slot], tree));
        var body = Sequence(statements, 0, statements.Count);
        var loop = (VectorLoop)Activator.CreateInstance(typeof(VectorLoop<>).MakeGenericType(body))!;
        var scalarRegs = new int[scalars.Count];
        foreach (var (r, k) in scalars) scalarRegs[k] = r;
        return new Plan(loop, pointerRegs.ToArray(), scalarRegs, sums.ToArray(), period);
    }

    // Every generic definition composed here (and by TileProgram) is named by typeof in this class (or TileProgram) and the element-wise operator structs
    // by their primitives' UnaryKernel<TOp>/BinaryKernel<TOp> (so the trimmer keeps them); every argument is a struct
    // of this assembly whose new() constraint needs no constructor; and the loop reaches members only through
    // constrained calls to the static abstract members of IVec, IVStmt, INum, IUnaryOp and IBinaryOp, which the
    // trimmer keeps on every kept type implementing them. Nothing is looked up by name.
    internal const string TrimSafe =
        "Composes only this assembly's loop-body structs, all named by typeof here or by their primitives' kernels; " +
        "their members are reached through static abstract interface calls the trimmer keeps, never by name.";

    // A balanced tree of Seq: its depth grows with the logarithm of the statement count, not the count.
    [RequiresDynamicCode("Composes loop-body types with MakeGenericType.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = TrimSafe)]
    [UnconditionalSuppressMessage("Trimming", "IL2076", Justification = TrimSafe)]
    internal static Type Sequence(List<Type> s, int from, int to) => (to - from) switch
    {
        0 => typeof(V.Nop),
        1 => s[from],
        _ => typeof(V.Seq<,>).MakeGenericType(Sequence(s, from, (from + to) / 2), Sequence(s, (from + to) / 2, to)),
    };

    [RequiresDynamicCode("Composes loop-body types with MakeGenericType.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = TrimSafe)]
    internal static Type? Generic(Type open, params Type?[] args) =>
        args.Any(a => a is null) ? null : open.MakeGenericType(args!);
}
