namespace FunctionalAD;

/// <summary>
/// One axis of a tensor index, as in NumPy and TensorFlow basic indexing: an integer (negative counts from the end,
/// as does C#'s <c>^k</c>) picks one position and drops the axis; a range (<c>1..3</c>, <c>..</c>, <c>^2..</c>) keeps
/// the axis. Made implicitly from <see cref="int"/>, <see cref="Index"/> and <see cref="Range"/>, so
/// <c>x[0, 1..3]</c> and <c>x[^1, ..]</c> read as they do in Python.
/// </summary>
public readonly struct Ix
{
    private readonly int _at;
    private readonly bool _fromEnd;
    private readonly Range? _range;

    private Ix(int at, bool fromEnd, Range? range) { _at = at; _fromEnd = fromEnd; _range = range; }

    /// <summary>One position; a negative one counts from the end (-1 is the last).</summary>
    public static implicit operator Ix(int i) => i < 0 ? new Ix(-i, true, null) : new Ix(i, false, null);

    /// <summary>One position, <c>^k</c> counting from the end.</summary>
    public static implicit operator Ix(Index i) => new(i.Value, i.IsFromEnd, null);

    /// <summary>A range of positions, the axis kept.</summary>
    public static implicit operator Ix(Range r) => new(0, false, r);

    /// <summary>True for a range (the axis stays), false for one position (the axis goes).</summary>
    public bool IsRange => _range.HasValue;

    /// <summary>(begin, size) on an axis of length <paramref name="n"/>; a position outside it fails naming the axis.</summary>
    internal (int Begin, int Size) On(int axis, int n, Shape shape)
    {
        if (_range is Range r)
        {
            // Bounds past the ends are clamped and an empty range is allowed, as Python slicing does.
            long b = Math.Clamp(r.Start.IsFromEnd ? (long)n - r.Start.Value : r.Start.Value, 0, n);
            long e = Math.Clamp(r.End.IsFromEnd ? (long)n - r.End.Value : r.End.Value, 0, n);
            return ((int)b, (int)Math.Max(0, e - b));
        }
        long at = _fromEnd ? (long)n - _at : _at;
        if (at < 0 || at >= n)
            throw new ShapeException(
                $"index: position {(_fromEnd ? "^" + _at + " (or -" + _at + ")" : _at.ToString())} is outside axis {axis} of size {n} (shape {shape})");
        return ((int)at, 1);
    }

    /// <inheritdoc/>
    public override string ToString() => _range is Range r ? r.ToString() : _fromEnd ? "^" + _at : _at.ToString();
}

public abstract partial class Expr
{
    /// <summary>
    /// Basic indexing, as NumPy and TensorFlow (<c>x[0]</c>, <c>x[.., 1..3]</c>, <c>x[^1]</c>, <c>x[-1, ..]</c>): one
    /// <see cref="Ix"/> per leading axis, the remaining axes taken whole. An integer drops its axis, a range keeps it
    /// (bounds clamped as in Python). Lowers to <see cref="Ex.Slice"/> and <see cref="Ex.Reshape(Expr, Shape)"/>, so
    /// its gradient pads with zeros. A position outside its axis, or more indices than axes, fails at build time.
    /// </summary>
    public Expr this[params Ix[] index] => Ex.Index(this, index);
}

public static partial class Ex
{
    /// <summary>Basic indexing of <paramref name="x"/>, as <c>x[index...]</c>: see <see cref="Expr.this[Ix[]]"/>.</summary>
    public static Expr Index(Expr x, params Ix[] index)
    {
        NotNull(x, nameof(x), "index");
        NotNull(index, nameof(index), "index");
        if (index.Length > x.Rank)
            throw new ShapeException($"index: {index.Length} indices [{string.Join(", ", index)}] for {x.Rank} axes (shape {x.Shape})\n  in: {x}");
        var begin = new int[x.Rank];
        var size = x.Shape.ToArray();
        var kept = new List<int>();
        for (int a = 0; a < x.Rank; a++)
        {
            if (a < index.Length)
            {
                try { (begin[a], size[a]) = index[a].On(a, x.Shape[a], x.Shape); }
                catch (ShapeException e) { throw new ShapeException($"{e.Message}\n  in: {x}"); }
                if (!index[a].IsRange) continue;
            }
            kept.Add(size[a]);
        }
        bool whole = begin.All(b => b == 0) && size.SequenceEqual(x.Shape);
        var sliced = whole ? x : Slice(x, begin, size);
        return kept.Count == x.Rank ? sliced : Reshape(sliced, new Shape(kept.ToArray()));
    }
}
