using System.Numerics;
using System.Numerics.Tensors;
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
    private readonly int _n, _rows, _cols, _tileRows, _tileElems, _fullCap, _rowBase, _rowCap, _lseSlot;
    private readonly bool _rowMode;
    private readonly Loc[] _sums;
    private readonly string _what;
    private readonly VectorProgram.Plan? _vector;

    /// <summary>Elements per tile: a few kilobytes per register keeps a whole program's registers in L1/L2.</summary>
    internal const int TileElements = 1024;

    public FusedStep(Reg[] regs, FusedInstr[] prog, int n, int rows, int cols, bool rowMode, int fullSlots, int rowSlots,
        bool needsLseTemp, Loc[] sums, string what)
    {
        (_regs, _prog, _n, _rows, _cols, _rowMode, _sums, _what) = (regs, prog, n, rows, cols, rowMode, sums, what);
        _scalars = new T[regs.Length];
        for (int i = 0; i < regs.Length; i++)
            if (regs[i].Kind == RegKind.Scalar) _scalars[i] = T.CreateChecked(regs[i].Value);
        if (rowMode)
        {
            _tileRows = Math.Max(1, TileElements / Math.Max(1, cols));
            _tileElems = _tileRows * cols;
        }
        else
        {
            _tileRows = 0;
            _tileElems = TileElements;
        }
        _fullCap = Math.Max(1, _tileElems);
        int full = fullSlots + (needsLseTemp ? 1 : 0);
        _lseSlot = needsLseTemp ? fullSlots : -1;
        _rowBase = full * _fullCap;
        _rowCap = Math.Max(1, _tileRows);
        ScratchSize = _rowBase + rowSlots * _rowCap;
        if (typeof(T) == typeof(float) && !rowMode)
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
    private int RunVector(Workspace ws, double[]? acc, VectorProgram.Plan p)
    {
        var s = new VectorState();
        for (int k = 0; k < p.PointerRegs.Length; k++)
        {
            var l = _regs[p.PointerRegs[k]].Loc;
            var a = ws.Array<float>(l);
            // A reference into a heap array may live in the state freely, and the GC keeps it valid as arrays move.
            switch (k)
            {
                case 0: s.P0 = ref a[l.Offset]; break; case 1: s.P1 = ref a[l.Offset]; break; case 2: s.P2 = ref a[l.Offset]; break;
                case 3: s.P3 = ref a[l.Offset]; break; case 4: s.P4 = ref a[l.Offset]; break; case 5: s.P5 = ref a[l.Offset]; break;
                case 6: s.P6 = ref a[l.Offset]; break; case 7: s.P7 = ref a[l.Offset]; break; case 8: s.P8 = ref a[l.Offset]; break;
                case 9: s.P9 = ref a[l.Offset]; break; case 10: s.P10 = ref a[l.Offset]; break; default: s.P11 = ref a[l.Offset]; break;
            }
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T Scalar(Workspace ws, int reg)
    {
        var r = _regs[reg];
        return r.Kind == RegKind.Scalar ? _scalars[reg] : ws.Array<T>(r.Loc)[r.Loc.Offset];
    }

    private void Exec(Workspace ws, T[] tile, double[]? acc, int start, int len, int r0, int rows)
    {
        foreach (var ins in _prog)
        {
            switch (ins.Kind)
            {
                case FusedKind.Unary:
                {
                    var d = S(ws, tile, ins.Dst, start, len, r0, rows);
                    var k = ((UnaryElementwise)ins.Op!).Operator;
                    if (!_regs[ins.A].IsScalar) k.Map<T>(S(ws, tile, ins.A, start, len, r0, rows), d);
                    else if (d.Length > 0)
                    {
                        // One number: computed once, by the same operator, and spread.
                        T v = Scalar(ws, ins.A);
                        k.Map<T>(MemoryMarshal.CreateReadOnlySpan(ref v, 1), d.Slice(0, 1));
                        d.Fill(d[0]);
                    }
                    break;
                }
                case FusedKind.Binary:
                {
                    var d = S(ws, tile, ins.Dst, start, len, r0, rows);
                    bool sa = _regs[ins.A].IsScalar, sb = _regs[ins.B].IsScalar;
                    T va = sa ? Scalar(ws, ins.A) : default, vb = sb ? Scalar(ws, ins.B) : default;
                    ((BinaryElementwise)ins.Op!).Operator.Map<T>(
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
                        _lseSlot >= 0 ? tile.AsSpan(_lseSlot * _fullCap, len) : default);
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
                    acc![ins.Acc] += double.CreateTruncating(TensorPrimitives.Sum<T>(S(ws, tile, ins.A, start, len, r0, rows)));
                    break;
                case FusedKind.ColumnSum:
                {
                    var d = ws.Span<T>(_regs[ins.Dst].Loc);
                    var x = S(ws, tile, ins.A, start, len, r0, rows);
                    if (_cols >= 16) for (int r = 0; r < rows; r++) TensorPrimitives.Add(d, x.Slice(r * _cols, _cols), d);
                    else ColumnSumShort(x, d, rows, _cols);
                    break;
                }
            }
        }
    }

    /// <summary>Per row of the tile: Σ, max, or log Σ exp shifted by the row maximum (by 0 when that is not finite).</summary>
    private void RowReduce(FusedKind kind, ReadOnlySpan<T> x, Span<T> d, Span<T> tmp)
    {
        int l = _cols;
        if (kind == FusedKind.RowSum)
        {
            for (int r = 0; r < d.Length; r++) d[r] = l >= 16 ? TensorPrimitives.Sum(x.Slice(r * l, l)) : SmallSum(x.Slice(r * l, l));
            return;
        }
        for (int r = 0; r < d.Length; r++)
        {
            var row = x.Slice(r * l, l);
            T m = T.NegativeInfinity;
            if (l >= 16) m = TensorPrimitives.Max(row);
            else
                // A plain comparison (NaN wins, as in TensorPrimitives.Max) instead of T.Max's signed-zero handling.
                for (int j = 0; j < row.Length; j++)
                {
                    T v = row[j];
                    m = v > m || T.IsNaN(v) ? v : m;
                    if (T.IsNaN(m)) break;
                }
            d[r] = m;
        }
        if (kind == FusedKind.RowMax) return;
        // Shift every row by its (finite) maximum, exponentiate the whole tile in one vector pass, then sum rows.
        for (int r = 0; r < d.Length; r++)
        {
            if (!T.IsFinite(d[r])) d[r] = T.Zero;
            if (l >= 16) TensorPrimitives.Subtract(x.Slice(r * l, l), d[r], tmp.Slice(r * l, l));
            else for (int j = r * l; j < (r + 1) * l; j++) tmp[j] = x[j] - d[r];
        }
        var all = tmp.Slice(0, d.Length * l);
        TensorPrimitives.Exp(all, all);
        // Keep the shifts, put the row sums in d, and take all their logarithms in one vector pass.
        Span<T> shift = stackalloc T[d.Length];
        d.CopyTo(shift);
        for (int r = 0; r < d.Length; r++)
        {
            var row = all.Slice(r * l, l);
            d[r] = l >= 16 ? TensorPrimitives.Sum<T>(row) : SmallSum(row);
        }
        TensorPrimitives.Log(d, d);
        TensorPrimitives.Add(d, shift, d);
    }

    /// <summary>
    /// d[j] += Σ_r x[r·cols + j] for rows shorter than a vector: four rows per pass, so each d[j] is updated a
    /// quarter as often and the adds do not wait on one another through memory.
    /// </summary>
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

    private static T SmallSum(ReadOnlySpan<T> x)
    {
        T s = T.Zero;
        for (int i = 0; i < x.Length; i++) s += x[i];
        return s;
    }

    /// <summary>Gathers a general broadcast operand for the tile starting at flat index <paramref name="start"/>.</summary>
    private static void LoadStrided(FusedInstr ins, T[] src, int offset, Span<T> d, int start)
    {
        var dims = ins.Dims;
        var st = ins.Strides;
        int rank = dims.Length;
        Span<int> idx = stackalloc int[rank];
        int rem = start, off = offset;
        for (int ax = rank - 1; ax >= 0; ax--)
        {
            idx[ax] = rem % dims[ax];
            rem /= dims[ax];
            off += idx[ax] * st[ax];
        }
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = src[off];
            for (int ax = rank - 1; ax >= 0; ax--)
            {
                idx[ax]++;
                off += st[ax];
                if (idx[ax] < dims[ax]) break;
                off -= st[ax] * dims[ax];
                idx[ax] = 0;
            }
        }
    }

    public override string Describe() => $"fused{(_vector is not null ? " vector" : "")} {(_rowMode ? $"rows {_rows}x{_cols}" : $"n={_n}")}, {_prog.Length} instructions: {_what}";
}
