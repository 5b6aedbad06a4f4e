namespace FunctionalAD.Bench.Ours;

/// <summary>
/// A few distinct copies of a workload's input values, handed out in turn, so each call of a path that takes
/// its values afresh (a new batch, updated parameters) gets tensors it did not get on the previous call, as in a
/// training loop. The copies hold equal numbers, so every call computes the same, checkable result; nothing
/// keyed on a tensor's identity can carry work over from one call to the next.
/// </summary>
public sealed class InputCopies
{
    /// <summary>How many distinct copies rotate.</summary>
    public const int Count = 3;

    private readonly Tensor[][] _sets;
    private int _next;

    /// <summary>Makes <see cref="Count"/> copies of <paramref name="values"/>.</summary>
    public InputCopies(IReadOnlyList<Tensor> values) =>
        _sets = Enumerable.Range(0, Count).Select(_ => values.Select(Copy).ToArray()).ToArray();

    /// <summary>The next set of values, a different set of tensor objects from the previous call's.</summary>
    public Tensor[] Next()
    {
        var set = _sets[_next];
        _next = (_next + 1) % Count;
        return set;
    }

    /// <summary>A new tensor with the same shape, dtype and values.</summary>
    public static Tensor Copy(Tensor t) => t.DType switch
    {
        DType.Float32 => Tensor.From(t.ToArray<float>(), t.Shape),
        DType.Float64 => Tensor.From(t.ToArray<double>(), t.Shape),
        DType.Int32 => Tensor.From(t.ToArray<int>(), t.Shape),
        _ => throw new ArgumentOutOfRangeException(nameof(t), t.DType, "unsupported dtype"),
    };
}
