using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// The row-mode program of a <see cref="FusedStep{T}"/> for rows shorter than a vector (class axes of 3 or 10), run
/// with each tile held columns first: element (r, j) of a tile of R rows sits at j·R + r. A row reduction is then a
/// chain of vector operations down the columns (row r's Σ is ((0 + x[r,0]) + x[r,1]) + …, each lane one row), a
/// per-row value spread along its rows is one copy per column and a bias row one fill per column, where row-major
/// tiles pay a scalar loop per row. Stored operands are transposed into the tile once and stored results out of it.
/// A float32 domain of fewer than 16 elements (W1's logits) runs instead as one register program built by
/// <see cref="TileProgram"/> where the JIT is available, with the same bits.
/// </summary>
/// <remarks>
/// Every element is computed by the same operators, and every row and column sum adds in the same order, as the
/// row-major tiles of <see cref="FusedStep{T}"/> and the interpreter's short-row reductions
/// (<see cref="Reduce"/>): the tiles have the same rows, and each lane of a column-first vector runs exactly the
/// scalar sequence of its row. Results are bit for bit those of the row-major program, with one exception
/// outside this code: the runtime's float64 vector exp rounds other lanes differently when one lane's argument
/// is infinite, so float64 rows next to an infinite one may differ in the last bits (float32 exp is unaffected).
/// </remarks>
internal sealed class FusedShortRowsStep<T> : Step where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Reg[] _regs;
    private readonly FusedInstr[] _prog;
    private readonly T[] _scalars;
    private readonly int _rows, _cols, _tileRows, _fullCap, _rowBase, _tempAt, _tempRowAt;
    private readonly Loc[] _sums;
    private readonly string _what;
    private readonly IUnaryMap<T>[] _unary;
    private readonly IBinaryMap<T>[] _binary;
    // Stored full operands and results: their tile copy (columns first) lives in a scratch slot of its own.
    private readonly int[] _shadow;
    private readonly int[] _loads, _stores;
    private readonly int[] _columnSums;
    // A whole tile that fits one Vector256 (W1's 2x3): element-wise instructions run the operator's vector form on
    // one register loaded straight from the tile, padding lanes zeroed as the span driver pads its remainder,
    // instead of going through the span driver, whose padded remainder costs more than the arithmetic.
    private readonly bool _tiny;
    private readonly int[] _tileAt;
    private readonly Vector256<T> _liveFull, _liveRow;
    private readonly int _tinySumAt;
    // A whole domain of fewer than 16 floats runs as one register program instead (TileProgram), where one exists.
    private readonly TileProgram.Plan? _tile;

    /// <summary>Whether <see cref="FusedShortRowsStep{T}"/> runs this row-mode program: short rows, and only instructions it has a column-first form of.</summary>
    public static bool Fits(FusedInstr[] prog, int cols) =>
        cols >= 2 && Elementwise.IsShortRow<T>(cols) && prog.All(i => i.Kind != FusedKind.LoadStrided && (i.Kind != FusedKind.LoadPeriodic || i.Period == cols));

    public FusedShortRowsStep(Reg[] regs, FusedInstr[] prog, int rows, int cols, int fullSlots, int rowSlots, Loc[] sums, string what)
    {
        (_regs, _prog, _rows, _cols, _sums, _what) = (regs, prog, rows, cols, sums, what);
        _scalars = new T[regs.Length];
        for (int i = 0; i < regs.Length; i++)
            if (regs[i].Kind == RegKind.Scalar) _scalars[i] = T.CreateChecked(regs[i].Value);
        _unary = new IUnaryMap<T>[prog.Length];
        _binary = new IBinaryMap<T>[prog.Length];
        for (int i = 0; i < prog.Length; i++)
        {
            if (prog[i].Kind == FusedKind.Unary) _unary[i] = (IUnaryMap<T>)((UnaryElementwise)prog[i].Op!).Operator;
            if (prog[i].Kind == FusedKind.Binary) _binary[i] = (IBinaryMap<T>)((BinaryElementwise)prog[i].Op!).Operator;
        }
        // The same tiles as the row-major program, so column sums group their rows the same way.
        _tileRows = Math.Max(1, FusedStep<T>.TileElements / cols);
        _fullCap = _tileRows * cols;
        var written = new HashSet<int>(prog.Where(i => i.Dst >= 0).Select(i => i.Dst));
        var stored = Enumerable.Range(0, regs.Length).Where(r => regs[r].Kind == RegKind.ExtFull).ToArray();
        _shadow = new int[regs.Length];
        int slots = fullSlots;
        foreach (var r in stored) _shadow[r] = slots++;
        _loads = stored.Where(r => !written.Contains(r)).ToArray();
        _stores = stored.Where(written.Contains).ToArray();
        _columnSums = prog.Where(i => i.Kind == FusedKind.ColumnSum).Select(i => i.Dst).ToArray();
        // After the slots: one full temporary (log-sum-exp's exponentials, a row-major copy for a whole sum) and one row.
        _tempAt = slots * _fullCap;
        _rowBase = _tempAt + _fullCap;
        _tempRowAt = _rowBase + rowSlots * _tileRows;
        _tinySumAt = _tempRowAt + _tileRows;
        ScratchSize = _tinySumAt + _tileRows;
        // Every slot is at least a vector long (rows of a tile ≥ the vector's lanes), so a whole-register load or
        // store at a slot stays inside it; one tile holds all the rows, so the masks are fixed now.
        _tiny = Vector256.IsHardwareAccelerated && rows * cols <= Vector256<T>.Count && rows <= _tileRows && _tileRows >= Vector256<T>.Count;
        _tileAt = new int[regs.Length];
        for (int i = 0; i < regs.Length; i++)
            _tileAt[i] = regs[i].Kind switch
            {
                RegKind.TileFull => regs[i].Slot * _fullCap,
                RegKind.ExtFull => _shadow[i] * _fullCap,
                RegKind.TileRow => _rowBase + regs[i].Slot * _tileRows,
                _ => -1,
            };
        _liveFull = Live(rows * cols);
        _liveRow = Live(rows);
        // Under native AOT IsDynamicCodeSupported is the constant false: the builder is not compiled in.
        if (typeof(T) == typeof(float) && rows <= _tileRows && RuntimeFeature.IsDynamicCodeSupported && !VectorProgram.Disabled)
            _tile = TileProgram.TryBuild(regs, prog, rows, cols);
    }

    /// <summary>All bits set in the first <paramref name="n"/> lanes, zero in the rest.</summary>
    private static Vector256<T> Live(int n) => typeof(T) == typeof(float)
        ? Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(n)).As<int, T>()
        : Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)n)).As<long, T>();

    /// <summary>Elements of tile scratch this step needs.</summary>
    public int ScratchSize { get; }

    /// <summary>The running sums of the scalar reductions, in float64 per workspace.</summary>
    public override object? CreateState() => _sums.Length > 0 ? new double[_sums.Length] : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Run(Workspace ws)
    {
        var acc = (double[]?)ws.State[Index];
        if (acc is not null) Array.Clear(acc);
        if (_tile is not null) _tile.Run(ws, _regs, acc);
        else RunTiles(ws, acc);
        for (int i = 0; i < _sums.Length; i++) ws.Array<T>(_sums[i])[_sums[i].Offset] = T.CreateTruncating(acc![i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunTiles(Workspace ws, double[]? acc)
    {
        foreach (var d in _columnSums) Set(ws.Span<T>(_regs[d].Loc), T.Zero);
        var tile = ws.Tile<T>();
        if (tile.Length < ScratchSize) throw new InvalidOperationException($"tile scratch of {tile.Length} elements for {ScratchSize}");
        for (int r0 = 0; r0 < _rows; r0 += _tileRows)
        {
            int rows = Math.Min(_tileRows, _rows - r0), len = rows * _cols;
            foreach (var r in _loads)
                Transpose.In(ws.Array<T>(_regs[r].Loc).AsSpan(_regs[r].Loc.Offset + r0 * _cols, len), tile.AsSpan(_shadow[r] * _fullCap, len), rows, _cols);
            Exec(ws, tile, acc, r0, rows);
            foreach (var r in _stores)
                Transpose.Out(tile.AsSpan(_shadow[r] * _fullCap, len), ws.Array<T>(_regs[r].Loc).AsSpan(_regs[r].Loc.Offset + r0 * _cols, len), rows, _cols);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private Span<T> S(Workspace ws, T[] tile, int reg, int r0, int rows)
    {
        var r = _regs[reg];
        return r.Kind switch
        {
            RegKind.TileFull => tile.AsSpan(r.Slot * _fullCap, rows * _cols),
            RegKind.ExtFull => tile.AsSpan(_shadow[reg] * _fullCap, rows * _cols),
            RegKind.TileRow => tile.AsSpan(_rowBase + r.Slot * _tileRows, rows),
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
    private void Exec(Workspace ws, T[] tile, double[]? acc, int r0, int rows)
    {
        int cols = _cols;
        for (int pc = 0; pc < _prog.Length; pc++)
        {
            var ins = _prog[pc];
            switch (ins.Kind)
            {
                case FusedKind.Unary:
                {
                    if (_tiny && _tileAt[ins.A] >= 0 && _tileAt[ins.Dst] >= 0)
                    {
                        ref T t = ref MemoryMarshal.GetArrayDataReference(tile);
                        var live = _regs[ins.Dst].Kind == RegKind.TileRow ? _liveRow : _liveFull;
                        _unary[pc].Invoke(Vector256.LoadUnsafe(ref t, (nuint)_tileAt[ins.A]) & live).StoreUnsafe(ref t, (nuint)_tileAt[ins.Dst]);
                        break;
                    }
                    var d = S(ws, tile, ins.Dst, r0, rows);
                    var k = _unary[pc];
                    if (_regs[ins.A].Kind is not (RegKind.Scalar or RegKind.ScalarLoc)) k.Map(S(ws, tile, ins.A, r0, rows), d);
                    else if (d.Length > 0)
                    {
                        T v = Scalar(ws, ins.A);
                        k.Map(MemoryMarshal.CreateReadOnlySpan(ref v, 1), d.Slice(0, 1));
                        Set(d, d[0]);
                    }
                    break;
                }
                case FusedKind.Binary:
                {
                    if (_tiny && _tileAt[ins.Dst] >= 0)
                    {
                        ref T t = ref MemoryMarshal.GetArrayDataReference(tile);
                        var live = _regs[ins.Dst].Kind == RegKind.TileRow ? _liveRow : _liveFull;
                        if (TinyOperand(ws, ref t, ins.A, live, out var xa, out bool ta) && TinyOperand(ws, ref t, ins.B, live, out var xb, out bool tb) && !(ta && tb))
                        {
                            _binary[pc].Invoke(xa, xb).StoreUnsafe(ref t, (nuint)_tileAt[ins.Dst]);
                            break;
                        }
                    }
                    var d = S(ws, tile, ins.Dst, r0, rows);
                    bool sa = _regs[ins.A].Kind is RegKind.Scalar or RegKind.ScalarLoc, sb = _regs[ins.B].Kind is RegKind.Scalar or RegKind.ScalarLoc;
                    T va = sa ? Scalar(ws, ins.A) : default, vb = sb ? Scalar(ws, ins.B) : default;
                    _binary[pc].Map(
                        sa ? MemoryMarshal.CreateReadOnlySpan(ref va, 1) : S(ws, tile, ins.A, r0, rows), sa,
                        sb ? MemoryMarshal.CreateReadOnlySpan(ref vb, 1) : S(ws, tile, ins.B, r0, rows), sb, d);
                    break;
                }
                case FusedKind.Select:
                {
                    var d = S(ws, tile, ins.Dst, r0, rows);
                    T va = default, vb = default;
                    bool sa = _regs[ins.B].Kind is RegKind.Scalar or RegKind.ScalarLoc, sb = _regs[ins.C].Kind is RegKind.Scalar or RegKind.ScalarLoc;
                    if (sa) va = Scalar(ws, ins.B);
                    if (sb) vb = Scalar(ws, ins.C);
                    WhereOp.Select<T>(S(ws, tile, ins.A, r0, rows),
                        sa ? MemoryMarshal.CreateReadOnlySpan(ref va, 1) : S(ws, tile, ins.B, r0, rows), sa,
                        sb ? MemoryMarshal.CreateReadOnlySpan(ref vb, 1) : S(ws, tile, ins.C, r0, rows), sb, d);
                    break;
                }
                case FusedKind.RowSum:
                    ColumnsSum(S(ws, tile, ins.A, r0, rows), S(ws, tile, ins.Dst, r0, rows), rows, cols);
                    break;
                case FusedKind.RowMax:
                    ColumnsMax(S(ws, tile, ins.A, r0, rows), S(ws, tile, ins.Dst, r0, rows), rows, cols);
                    break;
                case FusedKind.RowLogSumExp:
                    LogSumExp(S(ws, tile, ins.A, r0, rows), S(ws, tile, ins.Dst, r0, rows), rows, cols, tile);
                    break;
                case FusedKind.ExpandColumn:
                {
                    var d = S(ws, tile, ins.Dst, r0, rows);
                    var c = S(ws, tile, ins.A, r0, rows);
                    if (rows < Vector512<T>.Count)
                        for (int j = 0, o = 0; j < cols; j++)
                            for (int r = 0; r < rows; r++, o++) d[o] = c[r];
                    else
                        for (int j = 0; j < cols; j++) Copy(c, d.Slice(j * rows, rows));
                    break;
                }
                case FusedKind.LoadPeriodic:
                {
                    // A bias row: column j of every tile is its j-th element.
                    var d = S(ws, tile, ins.Dst, r0, rows);
                    var src = ws.Span<T>(_regs[ins.A].Loc);
                    if (rows < Vector512<T>.Count)
                        for (int j = 0, o = 0; j < cols; j++)
                            for (int r = 0; r < rows; r++, o++) d[o] = src[j];
                    else
                        for (int j = 0; j < cols; j++) Set(d.Slice(j * rows, rows), src[j]);
                    break;
                }
                case FusedKind.ScalarSum:
                {
                    var x = S(ws, tile, ins.A, r0, rows);
                    if (_regs[ins.A].Kind is RegKind.TileFull or RegKind.ExtFull)
                    {
                        // A whole sum adds in row-major order, as the row-major tiles do.
                        var t = tile.AsSpan(_tempAt, x.Length);
                        Transpose.Out(x, t, rows, cols);
                        x = t;
                    }
                    acc![ins.Acc] += double.CreateTruncating(Elementwise.Sum<T>(x));
                    break;
                }
                case FusedKind.ColumnSum:
                    ColumnSum(S(ws, tile, ins.A, r0, rows), ws.Span<T>(_regs[ins.Dst].Loc), rows, cols);
                    break;
            }
        }
    }

    /// <summary>
    /// An operand of a one-register tile: a scalar spread to every lane (as the span driver spreads it), or its
    /// tile slot with the lanes past the tile zeroed (as the driver pads a remainder); false for one outside the tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TinyOperand(Workspace ws, ref T t, int reg, Vector256<T> live, out Vector256<T> v, out bool scalar)
    {
        scalar = _regs[reg].Kind is RegKind.Scalar or RegKind.ScalarLoc;
        if (scalar) v = Vector256.Create(Scalar(ws, reg));
        else if (_tileAt[reg] >= 0) v = Vector256.LoadUnsafe(ref t, (nuint)_tileAt[reg]) & live;
        else { v = default; return false; }
        return true;
    }

    // Own fill and copy loops rather than Span.Fill/CopyTo: those runtime methods may tier up in the middle of a
    // run, and a method tiering up allocates on the calling thread, where a compiled call must allocate nothing.
    /// <summary>d[i] = v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Set(Span<T> d, T v)
    {
        ref T p = ref MemoryMarshal.GetReference(d);
        int n = d.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (var w = Vector512.Create(v); i + Vector512<T>.Count <= n; i += Vector512<T>.Count) w.StoreUnsafe(ref p, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (var w = Vector256.Create(v); i + Vector256<T>.Count <= n; i += Vector256<T>.Count) w.StoreUnsafe(ref p, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref p, i) = v;
    }

    /// <summary>d[i] = s[i] for the length of d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Copy(ReadOnlySpan<T> s, Span<T> d)
    {
        if (s.Length < d.Length) throw new ArgumentException("copy");
        ref T ps = ref MemoryMarshal.GetReference(s);
        ref T pd = ref MemoryMarshal.GetReference(d);
        int n = d.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count) Vector512.LoadUnsafe(ref ps, (nuint)i).StoreUnsafe(ref pd, (nuint)i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) Vector256.LoadUnsafe(ref ps, (nuint)i).StoreUnsafe(ref pd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref pd, i) = Unsafe.Add(ref ps, i);
    }

    /// <summary>y[r] = ((0 + x[r,0]) + x[r,1]) + …: left to right from 0, each lane one row, as short rows add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnsSum(ReadOnlySpan<T> x, Span<T> y, int rows, int cols)
    {
        if (rows < Vector512<T>.Count)
        {
            // Fewer rows than a vector: a call per column costs more than the adds.
            ref T px = ref MemoryMarshal.GetReference(x);
            for (int r = 0; r < rows; r++)
            {
                T s = T.Zero;
                for (int j = 0; j < cols; j++) s += Unsafe.Add(ref px, j * rows + r);
                y[r] = s;
            }
            return;
        }
        Set(y, T.Zero);
        for (int j = 0; j < cols; j++) Elementwise.Map<AddOperator, T>(y, false, x.Slice(j * rows, rows), false, y);
    }

    /// <summary>y[r] = max over j of x[r, j], left to right from −∞ with the first NaN winning (<see cref="Elementwise.MaxNaN{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnsMax(ReadOnlySpan<T> x, Span<T> y, int rows, int cols)
    {
        if (rows < Vector512<T>.Count)
        {
            // Fewer rows than a vector: the operator's scalar form (exact, as the driver's remainder uses it) per row.
            ref T px = ref MemoryMarshal.GetReference(x);
            for (int r = 0; r < rows; r++)
            {
                T v = T.NegativeInfinity;
                for (int j = 0; j < cols; j++) v = MaxNaNOperator.Invoke(v, Unsafe.Add(ref px, j * rows + r));
                y[r] = v;
            }
            return;
        }
        Set(y, T.NegativeInfinity);
        for (int j = 0; j < cols; j++) Elementwise.Map<MaxNaNOperator, T>(y, false, x.Slice(j * rows, rows), false, y);
        // The reduction then takes max(−∞, m), which is m itself (NaN included): nothing to do.
    }

    /// <summary>
    /// y[r] = log Σ_j exp(x[r, j] − m) + m with m the row maximum (0 where it is not finite), each element and each
    /// sum exactly as <see cref="Reduce"/> computes short rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LogSumExp(ReadOnlySpan<T> x, Span<T> y, int rows, int cols, T[] tile)
    {
        Span<T> e = tile.AsSpan(_tempAt, rows * cols), m = tile.AsSpan(_tempRowAt, rows);
        // A one-register tile sums into scratch of its own, a whole register long, so log runs on the register in place.
        Span<T> sums = _tiny ? tile.AsSpan(_tinySumAt, rows) : y;
        ColumnsMax(x, m, rows, cols);
        for (int i = 0; i < m.Length; i++) if (!T.IsFinite(m[i])) m[i] = T.Zero;
        // Subtraction and addition round the same in scalar and vector code; exp and log take the vector driver, or
        // on a one-register tile the operator's vector form on the zero-padded register, as the driver pads.
        if (rows < Vector512<T>.Count)
            for (int j = 0, o = 0; j < cols; j++)
                for (int r = 0; r < rows; r++, o++) e[o] = x[o] - m[r];
        else
            for (int j = 0; j < cols; j++) Elementwise.Map<SubtractOperator, T>(x.Slice(j * rows, rows), false, m, false, e.Slice(j * rows, rows));
        ref T pe = ref MemoryMarshal.GetReference(e), ps = ref MemoryMarshal.GetReference(sums);
        if (_tiny) ExpOperator.Invoke(Vector256.LoadUnsafe(ref pe) & _liveFull).StoreUnsafe(ref pe);
        else Elementwise.Map<ExpOperator, T>(e, e);
        ColumnsSum(e, sums, rows, cols);
        if (_tiny) LogOperator.Invoke(Vector256.LoadUnsafe(ref ps) & _liveRow).StoreUnsafe(ref ps);
        else Elementwise.Map<LogOperator, T>(sums, sums);
        if (rows < Vector512<T>.Count) for (int r = 0; r < rows; r++) y[r] = sums[r] + m[r];
        else Elementwise.Map<AddOperator, T>(sums, false, m, false, y);
    }

    /// <summary>d[j] += Σ_r x[r, j] over a column-first tile, rows grouped in fours exactly as the row-major tiles add them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnSum(ReadOnlySpan<T> x, Span<T> d, int rows, int cols)
    {
        if (x.Length < rows * cols || d.Length < cols) throw new ArgumentException("column sum");
        // Columns inside the row loop: cols independent chains of adds interleave instead of waiting one on another.
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T pd = ref MemoryMarshal.GetReference(d);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
            for (int j = 0; j < cols; j++)
            {
                ref T c = ref Unsafe.Add(ref px, j * rows + r);
                Unsafe.Add(ref pd, j) += (c + Unsafe.Add(ref c, 1)) + (Unsafe.Add(ref c, 2) + Unsafe.Add(ref c, 3));
            }
        for (; r < rows; r++)
            for (int j = 0; j < cols; j++) Unsafe.Add(ref pd, j) += Unsafe.Add(ref px, j * rows + r);
    }

    public override string Describe() =>
        $"fused rows {_rows}x{_cols} {(_tile is null ? "columns first" : "in one register")}, {_prog.Length} instructions: {_what}";

    /// <summary>
    /// Between a row-major block of rows × cols and its column-first copy, one column at a time: one side contiguous,
    /// the other a row apart, by pointer steps (measured faster than row by row, and than AVX2 gathers, on Zen 5).
    /// A column-first block of rows × cols is a row-major block of cols × rows, so one loop serves both directions.
    /// </summary>
    private static class Transpose
    {
        /// <summary>Row-major <paramref name="src"/> (rows × cols) to column-first <paramref name="dst"/>: contiguous stores.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void In(ReadOnlySpan<T> src, Span<T> dst, int rows, int cols)
        {
            if (src.Length < rows * cols || dst.Length < rows * cols) throw new ArgumentException("tile");
            ref T s = ref MemoryMarshal.GetReference(src);
            ref T d = ref MemoryMarshal.GetReference(dst);
            for (int j = 0; j < cols; j++)
            {
                ref T col = ref Unsafe.Add(ref d, j * rows);
                ref T x = ref Unsafe.Add(ref s, j);
                for (int r = 0; r < rows; r++, x = ref Unsafe.Add(ref x, cols)) Unsafe.Add(ref col, r) = x;
            }
        }

        /// <summary>Column-first <paramref name="src"/> back to row-major <paramref name="dst"/> (rows × cols).</summary>
        public static void Out(ReadOnlySpan<T> src, Span<T> dst, int rows, int cols) => In(src, dst, cols, rows);
    }
}
