using System.Numerics;
using System.Numerics.Tensors;

namespace FunctionalAD;

/// <summary>
/// Σ, max or log Σ exp over any set of axes (those the fused kernels do not take), walking the input once per
/// pass with index arithmetic collapsed at compile time: each innermost run either reduces to one number or
/// accumulates row-wise into the output.
/// </summary>
internal sealed class ReduceStep<T> : Step where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Loc _x, _y;
    private readonly ReduceKind _kind;
    private readonly bool _lse;
    private readonly int[] _dims, _xs, _ys;
    private readonly bool _rowReduces;
    private readonly string _what;

    public ReduceStep(Loc x, Shape xShape, int[] axes, Loc y, ReduceKind kind, bool logSumExp, string what)
    {
        (_x, _y, _kind, _lse, _what) = (x, y, kind, logSumExp, what);
        var outStrides = new int[xShape.Rank];
        int acc = 1;
        for (int i = xShape.Rank - 1; i >= 0; i--)
        {
            if (Array.IndexOf(axes, i) >= 0) continue;
            outStrides[i] = acc;
            acc *= xShape[i];
        }
        var (dims, st) = Strided.Collapse(xShape.ToArray(), xShape.Strides(), outStrides);
        (_dims, _xs, _ys) = (dims, st[0], st[1]);
        _rowReduces = _ys[^1] == 0;
    }

    /// <summary>The shifts of log-sum-exp and a row of exponentials, per workspace.</summary>
    public override object? CreateState() => _lse ? new T[_y.Length + _dims[^1]] : null;

    public override void Run(Workspace ws)
    {
        var x = ws.Array<T>(_x);
        var y = ws.Span<T>(_y);
        if (!_lse)
        {
            y.Fill(_kind == ReduceKind.Sum ? T.Zero : T.NegativeInfinity);
            if (_x.Length > 0) Walk(x, y, null, _kind);
            return;
        }
        var state = (T[])ws.State[Index]!;
        var m = state.AsSpan(0, _y.Length);
        m.Fill(T.NegativeInfinity);
        if (_x.Length > 0) Walk(x, m, null, ReduceKind.Max);
        // A row of -inf (or one holding inf) would give inf - inf; shifting it by 0 instead keeps the IEEE answer.
        for (int i = 0; i < m.Length; i++) if (!T.IsFinite(m[i])) m[i] = T.Zero;
        y.Clear();
        if (_x.Length > 0) Walk(x, y, state, ReduceKind.Sum);
        TensorPrimitives.Log(y, y);
        TensorPrimitives.Add(y, m, y);
    }

    /// <summary>One pass; with <paramref name="shift"/> it sums exp(x - shift[o]) instead of x.</summary>
    private void Walk(T[] x, Span<T> y, T[]? shift, ReduceKind kind)
    {
        int rank = _dims.Length, n = _dims[^1];
        Span<int> idx = stackalloc int[rank];
        idx.Clear();
        int xo = _x.Offset, yo = 0;
        long rows = 1;
        for (int i = 0; i < rank - 1; i++) rows *= _dims[i];
        Span<T> tmp = shift is null ? default : shift.AsSpan(_y.Length, n);
        for (long r = 0; r < rows; r++)
        {
            var row = new ReadOnlySpan<T>(x, xo, n);
            if (shift is not null)
            {
                if (_rowReduces) TensorPrimitives.Subtract(row, shift[yo], tmp);
                else TensorPrimitives.Subtract(row, shift.AsSpan(yo, n), tmp);
                TensorPrimitives.Exp(tmp, tmp);
                row = tmp;
            }
            if (_rowReduces)
            {
                ref T o = ref y[yo];
                o = kind == ReduceKind.Sum ? o + TensorPrimitives.Sum(row) : T.Max(o, TensorPrimitives.Max(row));
            }
            else
            {
                var o = y.Slice(yo, n);
                if (kind == ReduceKind.Sum) TensorPrimitives.Add(o, row, o);
                else TensorPrimitives.Max(o, row, o);
            }
            for (int ax = rank - 2; ax >= 0; ax--)
            {
                idx[ax]++;
                xo += _xs[ax];
                yo += _ys[ax];
                if (idx[ax] < _dims[ax]) break;
                xo -= _xs[ax] * _dims[ax];
                yo -= _ys[ax] * _dims[ax];
                idx[ax] = 0;
            }
        }
    }

    public override string Describe() => $"reduce {(_lse ? "logsumexp" : _kind.ToString().ToLowerInvariant())} {_x} -> {_y}  [{_what}]";
}
