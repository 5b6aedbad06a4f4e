using System.Globalization;

namespace FunctionalAD.Testing;

/// <summary>
/// A point at which to check a function: one tensor per input, with names. Prints as
/// <c>x0(2,) = [0.5, -1]; x1() = [2]</c>, which is how a shrunk counterexample reads.
/// </summary>
public sealed class Point
{
    /// <summary>A point with the given inputs, named x0, x1... unless <paramref name="names"/> are given.</summary>
    public Point(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Any(t => t is null)) throw new ArgumentNullException(nameof(inputs), "Point: an input is null");
        names ??= inputs.Select((_, i) => $"x{i}").ToArray();
        if (names.Count != inputs.Count)
            throw new ArgumentOutOfRangeException(nameof(names), $"Point: {names.Count} names for {inputs.Count} inputs");
        Inputs = inputs.ToArray();
        Names = names.ToArray();
    }

    /// <summary>The inputs' values.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>The inputs' names.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join("; ", Names.Zip(Inputs, (n, t) => $"{n}{t.Shape} = [{string.Join(", ", t.ToArray<double>().Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))}]"));
}
