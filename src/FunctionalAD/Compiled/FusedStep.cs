using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// A fused group of element-wise operations, row-wise reductions (sum, max, log-sum-exp over the last axis)
/// and whole or per-column sums, run as one pass over the domain in tiles that stay in cache: every
/// instruction is a vector loop over the tile, intermediate values never go to memory, and stored inputs and
/// outputs are read and written in place. In row mode a tile holds whole rows, so row reductions complete
/// inside it. Flat float32 programs run instead as one register-fused Vector512 loop (<see cref="VectorProgram"/>),
/// with the tiles finishing the last partial vector.
/// </summary>
internal sealed class FusedStep<T> : Step where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Reg[] _regs;
    private readonly T[] _scalars;
    private readonly FusedInstr[] _prog;
    private readonly int _n, _rows, _cols, _tileRows, _tileElems, _fullCap, _rowBase, _rowCap, _lseAt, _lseSize;
    private readonly bool _rowMode;
    private readonly Loc[] _sums;
    private readonly string _what;
    private readonly VectorProgram.Plan? _vector;
    private readonly ReducePlan? _fullTile, _lastTile;
    // Each element-wise instruction's operator, typed for T once here: a tile then costs one interface call.
    private readonly IUnaryMap<T>[] _unary;
    private readonly IBinaryMap<T>[] _binary;

    /// <summary>Elements per tile: a few kilobytes per register keeps a whole program's registers in L1/L2.</summary>
    internal const int TileElements = 1024;

    public FusedStep(Reg[] regs, FusedInstr[] prog, int n, int rows, int cols, bool rowMode, int fullSlots, int rowSlots,
        bool needsLseTemp, Loc[] sums, string what)
    {
        (_regs, _prog, _n, _rows, _cols, _rowMode, _sums, _what) = (regs, prog, n, rows, cols, rowMode, sums, what);
        _scalars = new T[regs.Length];
        _unary = new IUnaryMap<T>[prog.Length];
        _binary = new IBinaryMap<T>[prog.Length];
        for (int i = 0; i < prog.Length; i++)
        {
            if (prog[i].Kind == FusedKind.Unary) _unary[i] = (IUnaryMap<T>)((UnaryElementwise)prog[i].Op!).Operator;
            if (prog[i].Kind == FusedKind.Binary) _binary[i] = (IBinaryMap<T>)((BinaryElementwise)prog[i].Op!).Operator;
        }
        for (int i = 0; i < regs.Length; i++)
            if (regs[i].Kind == RegKind.Scalar) _scalars[i] = T.CreateChecked(regs[i].Value);
        if (rowMode)
        {
            _tileRows = Math.Max(1, TileElements / Math.Max(1, cols));
            _tileElems = _tileRows * cols;
            _fullTile = ReducePlan.Rows(_tileRows, cols);
            _lastTile = rows % _tileRows == 0 ? _fullTile : ReducePlan.Rows(rows % _tileRows, cols);
        }
        else
        {
            _tileRows = 0;
            _tileElems = TileElements;
        }
        _fullCap = Math.Max(1, _tileElems);
        _rowBase = fullSlots * _fullCap;
        _rowCap = Math.Max(1, _tileRows);
        // Log-sum-exp keeps a shift per row of the tile and one row of exponentials, after the registers.
        _lseAt = _rowBase + rowSlots * _rowCap;
        _lseSize = needsLseTemp ? _fullTile!.ScratchSize(ReduceKind.LogSumExp) : 0;
        ScratchSize = _lseAt + _lseSize;
        // Under native AOT IsDynamicCodeSupported is the constant false: the builder is not compiled in and every group runs tiled.
        if (typeof(T) == typeof(float) && !rowMode && RuntimeFeature.IsDynamicCodeSupported && !VectorProgram.Disabled)
        {
            // The tiles compute the same thing, so a program the type builder cannot express simply stays tiled.
            try { _vector = VectorProgram.TryBuild(regs, prog); }
            catch (ArgumentException) { _vector = null; }
        }
    }

    /// <summary>Elements of tile scratch this step needs.</summary>
    public int ScratchSize { get; }

    /// <summary>The running sums of the scalar reductions, in float64 per workspace.</summary>
    public override object? CreateState() => _sums.Length > 0 ? new double[_sums.Length] : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws)
    {
        var acc = (double[]?)ws.State[Index];
        if (acc is not null) Array.Clear(acc);
        foreach (var ins in _prog)
            if (ins.Kind == FusedKind.ColumnSum) ws.Span<T>(_regs[ins.Dst].Loc).Clear();
        var tile = ws.Tile<T>();
        if (_rowMode)
        {
            for (int r0 = 0; r0 < _rows; r0 += _tileRows)
            {
                int rows = Math.Min(_tileRows, _rows - r0);
                Exec(ws, tile, acc, r0 * _cols, rows * _cols, r0, rows);
            }
        }
        else
        {
            int from = 0;
            if (_vector is not null && _n >= 16) from = RunVector(ws, acc, _vector);
            for (int s = from; s < _n; s += _tileElems) Exec(ws, tile, acc, s, Math.Min(_tileElems, _n - s), 0, 0);
        }
        for (int i = 0; i < _sums.Length; i++) ws.Array<T>(_sums[i])[_sums[i].Offset] = T.CreateTruncating(acc![i]);
    }

    /// <summary>Runs the whole vectors of the domain through the register-fused loop; returns where the scalar tail starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int RunVector(Workspace ws, double[]? acc, VectorProgram.Plan p)
    {
        var s = new VectorState();
        for (int k = 0; k < p.PointerRegs.Length; k++)
        {
            var l = _regs[p.PointerRegs[k]].Loc;
            VectorState.Bind(ref s, k, ws.Array<float>(l), l.Offset);
        }
        for (int k = 0; k < p.ScalarRegs.Length; k++)
            s.S(k) = Vector512.Create(float.CreateTruncating(Scalar(ws, p.ScalarRegs[k])));
        int end = _n / 16 * 16;
        // Sums leave the vector lanes every block (or row), so long reductions accumulate in float64 like the tiles do.
        int step = p.Period > 0 ? p.Period : TileElements;
        for (int b = 0; b < end; b += step)
        {
            s.RowStart = (nuint)b;
            p.Loop.Run(ref s, (nuint)b, (nuint)Math.Min(end, b + step));
            if (p.SumAccs.Length == 1)
            {
                acc![p.SumAccs[0]] += Vector512.Sum(s.A0);
                s.A0 = default;
            }
        }
        return end;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private Span<T> S(Workspace ws, T[] tile, int reg, int start, int len, int r0, int rows)
    {
        var r = _regs[reg];
        return r.Kind switch
        {
            RegKind.TileFull => tile.AsSpan(r.Slot * _fullCap, len),
            RegKind.TileRow => tile.AsSpan(_rowBase + r.Slot * _rowCap, rows),
            RegKind.ExtFull => ws.Array<T>(r.Loc).AsSpan(r.Loc.Offset + start, len),
            RegKind.ExtRow => ws.Array<T>(r.Loc).AsSpan(r.Loc.Offset + r0, rows),
            _ => ws.Span<T>(r.Loc),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private T Scalar(Workspace ws, int reg)
    {
        var r = _regs[reg];
        return r.Kind == RegKind.Scalar ? _scalars[reg] : ws.Array<T>(r.Loc)[r.Loc.Offset];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Exec(Workspace ws, T[] tile, double[]? acc, int start, int len, int r0, int rows)
    {
        for (int pc = 0; pc < _prog.Length; pc++)
        {
            var ins = _prog[pc];
            switch (ins.Kind)
            {
                case FusedKind.Unary:
                {
                    var d = S(ws, tile, ins.Dst, start, len, r0, rows);
                    var k = _unary[pc];
                    if (!_regs[ins.A].IsScalar) k.Map(S(ws, tile, ins.A, start, len, r0, rows), d);
                    else if (d.Length > 0)
                    {
                        // One number: computed once, by the same operator, and spread.
                        T v = Scalar(ws, ins.A);
                        k.Map(MemoryMarshal.CreateReadOnlySpan(ref v, 1), d.Slice(0, 1));
                        d.Fill(d[0]);
                    }
                    break;
                }
                case FusedKind.Binary:
                {
                    var d = S(ws, tile, ins.Dst, start, len, r0, rows);
                    bool sa = _regs[ins.A].IsScalar, sb = _regs[ins.B].IsScalar;
                    T va = sa ? Scalar(ws, ins.A) : default, vb = sb ? Scalar(ws, ins.B) : default;
                    _binary[pc].Map(
                        sa ? MemoryMarshal.CreateReadOnlySpan(ref va, 1) : S(ws, tile, ins.A, start, len, r0, rows), sa,
                        sb ? MemoryMarshal.CreateReadOnlySpan(ref vb, 1) : S(ws, tile, ins.B, start, len, r0, rows), sb, d);
                    break;
                }
                case FusedKind.Select:
                {
                    var d = S(ws, tile, ins.Dst, start, len, r0, rows);
                    T va = default, vb = default;
                    bool sa = _regs[ins.B].IsScalar, sb = _regs[ins.C].IsScalar;
                    if (sa) va = Scalar(ws, ins.B);
                    if (sb) vb = Scalar(ws, ins.C);
                    WhereOp.Select<T>(S(ws, tile, ins.A, start, len, r0, rows),
                        sa ? MemoryMarshal.CreateReadOnlySpan(ref va, 1) : S(ws, tile, ins.B, start, len, r0, rows), sa,
                        sb ? MemoryMarshal.CreateReadOnlySpan(ref vb, 1) : S(ws, tile, ins.C, start, len, r0, rows), sb, d);
                    break;
                }
                case FusedKind.RowSum:
                case FusedKind.RowMax:
                case FusedKind.RowLogSumExp:
                    RowReduce(ins.Kind, S(ws, tile, ins.A, start, len, r0, rows), S(ws, tile, ins.Dst, start, len, r0, rows),
                        tile.AsSpan(_lseAt, _lseSize));
                    break;
                case FusedKind.ExpandColumn:
                {
                    var d = S(ws, tile, ins.Dst, start, len, r0, rows);
                    var c = S(ws, tile, ins.A, start, len, r0, rows);
                    if (_cols >= 16) for (int r = 0; r < rows; r++) d.Slice(r * _cols, _cols).Fill(c[r]);
                    else
                        for (int r = 0, o = 0; r < rows; r++)
                            for (int j = 0; j < _cols; j++, o++) d[o] = c[r];
                    break;
                }
                case FusedKind.LoadPeriodic:
                {
                    var d = S(ws, tile, ins.Dst, start, len, r0, rows);
                    var src = ws.Span<T>(_regs[ins.A].Loc);
                    int p = ins.Period, at = start % p, i = 0;
                    if (p < 16)
                    {
                        // Short rows: element by element beats a copy call per row.
                        for (; i < len; i++, at = at + 1 == p ? 0 : at + 1) d[i] = src[at];
                        break;
                    }
                    while (i < len)
                    {
                        int m = Math.Min(p - at, len - i);
                        src.Slice(at, m).CopyTo(d.Slice(i, m));
                        i += m;
                        at = 0;
                    }
                    break;
                }
                case FusedKind.LoadStrided:
                    LoadStrided(ins, ws.Array<T>(_regs[ins.A].Loc), _regs[ins.A].Loc.Offset, S(ws, tile, ins.Dst, start, len, r0, rows), start);
                    break;
                case FusedKind.ScalarSum:
                    acc![ins.Acc] += double.CreateTruncating(Elementwise.Sum<T>(S(ws, tile, ins.A, start, len, r0, rows)));
                    break;
                case FusedKind.ColumnSum:
                {
                    var d = ws.Span<T>(_regs[ins.Dst].Loc);
                    var x = S(ws, tile, ins.A, start, len, r0, rows);
                    if (_cols >= 16) for (int r = 0; r < rows; r++) Elementwise.Map<AddOperator, T>(d, false, x.Slice(r * _cols, _cols), false, d);
                    else ColumnSumShort(x, d, rows, _cols);
                    break;
                }
            }
        }
    }

    /// <summary>Per row of the tile: Σ, max, or log Σ exp, by the one reduction kernel the interpreter runs too.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void RowReduce(FusedKind kind, ReadOnlySpan<T> x, Span<T> d, Span<T> tmp)
    {
        var plan = d.Length == _tileRows ? _fullTile! : _lastTile!;
        var k = kind switch { FusedKind.RowSum => ReduceKind.Sum, FusedKind.RowMax => ReduceKind.Max, _ => ReduceKind.LogSumExp };
        Reduce.Run(x.Slice(0, d.Length * _cols), d, plan, k, tmp);
    }

    /// <summary>
    /// d[j] += Σ_r x[r·cols + j] for rows shorter than a vector: four rows per pass, so each d[j] is updated a
    /// quarter as often and the adds do not wait on one another through memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnSumShort(ReadOnlySpan<T> x, Span<T> d, int rows, int cols)
    {
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            int o = r * cols;
            for (int j = 0; j < cols; j++)
                d[j] += (x[o + j] + x[o + cols + j]) + (x[o + 2 * cols + j] + x[o + 3 * cols + j]);
        }
        for (; r < rows; r++)
            for (int j = 0; j < cols; j++) d[j] += x[r * cols + j];
    }

    /// <summary>Gathers a general broadcast operand for the tile starting at flat index <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadStrided(FusedInstr ins, T[] src, int offset, Span<T> d, int start)
    {
        // Rows of length 0 (a domain with an empty last axis) have nothing to gather, and a zero extent to divide by.
        if (d.IsEmpty) return;
        int[] dims = ins.Dims, st = ins.Strides;
        int n = dims[^1], s = st[^1];
        var c = new RowCursor(dims, stackalloc int[dims.Length], st);
        c.Seek(start / n);
        // The tile may start and end inside a row.
        for (int i = 0, j = start % n; i < d.Length; c.Next(), j = 0)
        {
            int o = offset + c.O0, m = Math.Min(n - j, d.Length - i);
            if (s == 1) src.AsSpan(o + j, m).CopyTo(d.Slice(i, m));
            else for (int k = 0; k < m; k++) d[i + k] = src[o + (j + k) * s];
            i += m;
        }
    }

    public override string Describe() => $"fused{(_vector is not null ? " vector" : "")} {(_rowMode ? $"rows {_rows}x{_cols}" : $"n={_n}")}, {_prog.Length} instructions: {_what}";
}
