using System.Collections;

namespace FunctionalAD;

/// <summary>
/// The gradients of one target with respect to a list of sources, one per source in order; null where the
/// target does not depend on the source (TensorFlow's None). Prints as TensorFlow prints the list.
/// </summary>
public sealed class GradientList : IReadOnlyList<EagerTensor?>
{
    private readonly EagerTensor?[] _items;

    internal GradientList(EagerTensor?[] items) => _items = items;

    /// <summary>The gradient for source <paramref name="index"/>, or null.</summary>
    public EagerTensor? this[int index] => _items[index];

    /// <summary>Number of sources.</summary>
    public int Count => _items.Length;

    /// <summary>The values, null where a gradient is null.</summary>
    public Tensor?[] Values => _items.Select(g => g?.Value).ToArray();

    /// <inheritdoc/>
    public IEnumerator<EagerTensor?> GetEnumerator() => ((IEnumerable<EagerTensor?>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Like a printed Python list: <c>[tf.Tensor(2.0, shape=(), dtype=float32), None]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _items.Select(g => g?.ToString() ?? "None")) + "]";
}
