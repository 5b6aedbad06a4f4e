using System.Collections;

namespace FunctionalAD;

/// <summary>The dimensions of a dense row-major tensor. Immutable; equal when the dimensions are equal.</summary>
public sealed class Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[] _dims;

    /// <summary>A shape with the given dimensions; none at all is a scalar.</summary>
    public Shape(params int[] dims) : this(dims, owned: false) { }

    /// <summary>
    /// A shape over <paramref name="dims"/>, copied unless <paramref name="owned"/> says the caller made the array for
    /// this shape alone (shape rules do, once per node built: a tape step builds its graph anew each step).
    /// </summary>
    internal Shape(int[] dims, bool owned)
    {
        ArgumentNullException.ThrowIfNull(dims);
        long size = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new ShapeException($"Shape: dimension {d} is negative in ({string.Join(", ", dims)})");
            size *= d;
            // Array.MaxLength, not int.MaxValue: a tensor of this shape must fit in one .NET array.
            if (size > Array.MaxLength) throw new ShapeException($"Shape: ({string.Join(", ", dims)}) has more than {Array.MaxLength} elements, more than one tensor can hold");
        }
        _dims = owned ? dims : (int[])dims.Clone();
        Size = (int)size;
    }

    /// <summary>This shape with the dimensions at <paramref name="axes"/> (valid, non-negative) set to 1: a reduction that keeps them.</summary>
    internal Shape Kept(int[] axes)
    {
        var d = (int[])_dims.Clone();
        foreach (var a in axes) d[a] = 1;
        return new Shape(d, owned: true);
    }

    /// <summary>This shape without the dimensions at <paramref name="axes"/> (valid, non-negative, distinct): a reduction that drops them.</summary>
    internal Shape Dropped(int[] axes)
    {
        if (axes.Length == 0) return this;
        if (axes.Length == _dims.Length) return Scalar;
        var d = new int[_dims.Length - axes.Length];
        for (int i = 0, k = 0; i < _dims.Length; i++)
            if (Array.IndexOf(axes, i) < 0) d[k++] = _dims[i];
        return new Shape(d, owned: true);
    }

    /// <summary>The first <paramref name="count"/> dimensions (count within the rank).</summary>
    internal Shape Leading(int count) => count == _dims.Length ? this : count == 0 ? Scalar : new Shape(_dims.AsSpan(0, count).ToArray(), owned: true);

    /// <summary>This shape followed by the dimension <paramref name="last"/>.</summary>
    internal Shape AppendAxis(int last)
    {
        var d = new int[_dims.Length + 1];
        _dims.CopyTo(d, 0);
        d[^1] = last;
        return new Shape(d, owned: true);
    }

    /// <summary>The scalar shape ().</summary>
    public static Shape Scalar { get; } = new();

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>Number of elements: the product of the dimensions.</summary>
    public int Size { get; }

    /// <summary>Dimension <paramref name="axis"/>; negative axes count from the end. An axis outside the rank is an <see cref="AxisException"/>.</summary>
    public int this[int axis]
    {
        get
        {
            int a = axis < 0 ? axis + _dims.Length : axis;
            if ((uint)a >= (uint)_dims.Length) NormalizeAxis(axis, _dims.Length, $"Shape{this}[{axis}]");
            return _dims[a];
        }
    }

    /// <summary>Number of dimensions (as a list).</summary>
    public int Count => _dims.Length;

    /// <summary>A copy of the dimensions.</summary>
    public int[] ToArray() => (int[])_dims.Clone();

    internal ReadOnlySpan<int> Dims => _dims;

    /// <summary>Row-major strides in elements.</summary>
    public int[] Strides()
    {
        var s = new int[_dims.Length];
        int acc = 1;
        for (int i = _dims.Length - 1; i >= 0; i--) { s[i] = acc; acc *= _dims[i]; }
        return s;
    }

    /// <summary>Validates <paramref name="axis"/> for rank <paramref name="rank"/> and makes it non-negative.</summary>
    internal static int NormalizeAxis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new AxisException($"{op}: axis {axis} is out of range for rank {rank} " +
                (rank == 0 ? "(a scalar has no axes)" : $"(valid: {-rank}..{rank - 1})"));
        return a;
    }

    /// <summary>NumPy broadcasting of two shapes, or null when they do not broadcast.</summary>
    public static Shape? TryBroadcast(Shape a, Shape b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // The common cases build nothing: equal shapes, or one that broadcasts to the other unchanged.
        if (ReferenceEquals(a, b) || b.BroadcastsTo(a)) return a;
        if (a.BroadcastsTo(b)) return b;
        int r = Math.Max(a.Rank, b.Rank);
        var d = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i < r - a.Rank ? 1 : a._dims[i - (r - a.Rank)];
            int db = i < r - b.Rank ? 1 : b._dims[i - (r - b.Rank)];
            if (da == db || db == 1) d[i] = da;
            else if (da == 1) d[i] = db;
            else return null;
        }
        return new Shape(d, owned: true);
    }

    /// <summary>True when this shape broadcasts to <paramref name="target"/> without changing it.</summary>
    public bool BroadcastsTo(Shape target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (Rank > target.Rank) return false;
        int off = target.Rank - Rank;
        for (int i = 0; i < Rank; i++)
            if (_dims[i] != 1 && _dims[i] != target._dims[i + off]) return false;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);
    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }
    /// <summary>Equal dimensions.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    /// <summary>Different dimensions.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>TensorFlow's form: (2, 4), (3,), ().</summary>
    public override string ToString() => _dims.Length == 1 ? $"({_dims[0]},)" : $"({string.Join(", ", _dims)})";

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dims).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();
}
