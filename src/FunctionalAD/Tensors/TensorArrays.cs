using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FunctionalAD;

// Conversions between tensors and .NET arrays: spans, rectangular arrays and jagged arrays, both ways.
public sealed partial class Tensor
{
    /// <summary>A float32 tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/> (row-major).</summary>
    public static Tensor From(ReadOnlySpan<float> values, Shape shape) => new(CopyFor(values, shape), shape);
    /// <summary>A float64 tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/> (row-major).</summary>
    public static Tensor From(ReadOnlySpan<double> values, Shape shape) => new(CopyFor(values, shape), shape);
    /// <summary>An int32 tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/> (row-major).</summary>
    public static Tensor From(ReadOnlySpan<int> values, Shape shape) => new(CopyFor(values, shape), shape);

    private static T[] CopyFor<T>(ReadOnlySpan<T> values, Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (values.Length != shape.Size)
            throw new ArgumentException($"Tensor.From: {values.Length} values do not fill shape {shape} ({shape.Size} elements)", nameof(values));
        return values.ToArray();
    }

    /// <summary>A float32 matrix from rows of equal length: <c>rows[i][j]</c> is element (i, j).</summary>
    /// <exception cref="ArgumentException">The rows differ in length (a ragged array) or one is null.</exception>
    public static Tensor From(float[][] rows) => FromRows(rows);
    /// <summary>A float64 matrix from rows of equal length: <c>rows[i][j]</c> is element (i, j).</summary>
    /// <exception cref="ArgumentException">The rows differ in length (a ragged array) or one is null.</exception>
    public static Tensor From(double[][] rows) => FromRows(rows);
    /// <summary>An int32 matrix from rows of equal length: <c>rows[i][j]</c> is element (i, j).</summary>
    /// <exception cref="ArgumentException">The rows differ in length (a ragged array) or one is null.</exception>
    public static Tensor From(int[][] rows) => FromRows(rows);

    private static Tensor FromRows<T>(T[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int n = rows.Length == 0 ? 0 : (rows[0] ?? throw new ArgumentException("Tensor.From: row 0 is null", nameof(rows))).Length;
        var shape = new Shape(rows.Length, n);
        var flat = new T[shape.Size];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"Tensor.From: row {i} is null", nameof(rows));
            if (row.Length != n)
                throw new ArgumentException($"Tensor.From: row {i} has {row.Length} elements but row 0 has {n}; a tensor needs rows of equal length (the array is ragged)", nameof(rows));
            row.CopyTo(flat, i * n);
        }
        return new Tensor(flat, shape);
    }

    /// <summary>
    /// Copies the elements in row-major order into <paramref name="destination"/>, converted to
    /// <typeparamref name="T"/> as <see cref="ToArray{T}"/> converts them.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged, INumber<T>
    {
        if (destination.Length < Size)
            throw new ArgumentException($"Tensor.CopyTo: the destination holds {destination.Length} elements but the tensor of shape {Shape} has {Size}", nameof(destination));
        if (Data is T[] same)
        {
            same.AsSpan().CopyTo(destination);
            GC.KeepAlive(this);
            return;
        }
        for (int i = 0; i < Size; i++) destination[i] = T.CreateChecked(At(i));
    }

    /// <summary>The elements of a rank-2 tensor as <c>T[rows, cols]</c>, converted to <typeparamref name="T"/> as <see cref="ToArray{T}"/> converts them.</summary>
    /// <exception cref="ShapeException">The tensor is not rank 2.</exception>
    public T[,] ToArray2D<T>() where T : unmanaged, INumber<T>
    {
        RequireRank(2, nameof(ToArray2D));
        var r = new T[Shape[0], Shape[1]];
        Fill<T>(r);
        return r;
    }

    /// <summary>The elements of a rank-3 tensor as <c>T[d0, d1, d2]</c>, converted to <typeparamref name="T"/> as <see cref="ToArray{T}"/> converts them.</summary>
    /// <exception cref="ShapeException">The tensor is not rank 3.</exception>
    public T[,,] ToArray3D<T>() where T : unmanaged, INumber<T>
    {
        RequireRank(3, nameof(ToArray3D));
        var r = new T[Shape[0], Shape[1], Shape[2]];
        Fill<T>(r);
        return r;
    }

    /// <summary>The elements of a rank-4 tensor as <c>T[d0, d1, d2, d3]</c> (an NHWC image batch, say), converted as <see cref="ToArray{T}"/> converts them.</summary>
    /// <exception cref="ShapeException">The tensor is not rank 4.</exception>
    public T[,,,] ToArray4D<T>() where T : unmanaged, INumber<T>
    {
        RequireRank(4, nameof(ToArray4D));
        var r = new T[Shape[0], Shape[1], Shape[2], Shape[3]];
        Fill<T>(r);
        return r;
    }

    /// <summary>The rows of a rank-2 tensor as a jagged array: <c>result[i][j]</c> is element (i, j).</summary>
    /// <exception cref="ShapeException">The tensor is not rank 2.</exception>
    public T[][] ToJagged<T>() where T : unmanaged, INumber<T>
    {
        RequireRank(2, nameof(ToJagged));
        var flat = ToArray<T>();
        int n = Shape[1];
        var rows = new T[Shape[0]][];
        for (int i = 0; i < rows.Length; i++) rows[i] = flat.AsSpan(i * n, n).ToArray();
        return rows;
    }

    private void RequireRank(int rank, string op)
    {
        if (Rank != rank)
            throw new ShapeException($"Tensor.{op}: the tensor has shape {Shape} (rank {Rank}); {op} needs rank {rank}" +
                (Size == Shape.Size && rank > Rank ? $" (Reshape it first, e.g. to {PaddedShape(rank)})" : ""));
    }

    private string PaddedShape(int rank) => new Shape(Enumerable.Repeat(1, rank - Rank).Concat(Shape).ToArray()).ToString();

    // A multidimensional array of any rank is one contiguous row-major block, so it is filled as one span.
    private void Fill<T>(Array target) where T : unmanaged, INumber<T>
    {
        var span = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(target)), target.Length);
        CopyTo(span);
    }
}
