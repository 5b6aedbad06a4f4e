using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace FunctionalAD.Testing;

/// <summary>
/// Where generated values lie, so central differences see a smooth function: an interval, minus a margin around each
/// kink. Values lie on a grid of step 0.001 and shrink towards simpler numbers (fewer decimals, then nearer zero) that
/// stay inside the domain, so a shrunk counterexample reads like <c>x = 1.5</c>.
/// </summary>
public sealed class Domain
{
    private readonly double[] _kinks;

    private Domain(string name, double low, double high, double margin, double[] kinks)
    {
        if (!(double.IsFinite(low) && double.IsFinite(high) && low < high))
            throw new ArgumentOutOfRangeException(nameof(low), $"Domain: need finite low < high, got [{low}, {high}]");
        if (!(margin >= 0 && double.IsFinite(margin)))
            throw new ArgumentOutOfRangeException(nameof(margin), $"Domain: the margin must be ≥ 0, got {margin}");
        Name = name;
        Low = low;
        High = high;
        Margin = margin;
        _kinks = kinks;
        if (!Grid().Any())
            throw new ArgumentOutOfRangeException(nameof(margin), $"Domain {name}: the kinks' margins leave no value in [{low}, {high}]");
    }

    /// <summary>[-2, 2].</summary>
    public static Domain Any { get; } = new("any", -2, 2, 0, Array.Empty<double>());

    /// <summary>[-1, 1].</summary>
    public static Domain Small { get; } = new("small", -1, 1, 0, Array.Empty<double>());

    /// <summary>[0.3, 3]: log, sqrt, the base of pow, divisors, away from their singularity at 0.</summary>
    public static Domain Positive { get; } = new("positive", 0.3, 3, 0, Array.Empty<double>());

    /// <summary>[-2, 2] without (-0.2, 0.2): away from the kink of abs and relu and the jump of sign.</summary>
    public static Domain AwayFromZero { get; } = new("away from zero", -2, 2, 0.2, new[] { 0.0 });

    /// <summary>[<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Domain Bounded(double low, double high) =>
        new(string.Create(CultureInfo.InvariantCulture, $"[{low}, {high}]"), low, high, 0, Array.Empty<double>());

    /// <summary>This domain without a margin of <paramref name="margin"/> on either side of each of <paramref name="kinks"/>.</summary>
    public Domain AwayFrom(double margin, params double[] kinks)
    {
        ArgumentNullException.ThrowIfNull(kinks);
        var all = _kinks.Concat(kinks).ToArray();
        return new($"{Name} away from {string.Join(", ", kinks.Select(k => k.ToString(CultureInfo.InvariantCulture)))}",
            Low, High, Math.Max(Margin, margin), all);
    }

    /// <summary>The name, as reports print it.</summary>
    public string Name { get; }

    /// <summary>Lowest value.</summary>
    public double Low { get; }

    /// <summary>Highest value.</summary>
    public double High { get; }

    /// <summary>Distance kept from each kink.</summary>
    public double Margin { get; }

    /// <summary>The points kept away from.</summary>
    public IReadOnlyList<double> Kinks => _kinks;

    /// <summary>True when <paramref name="v"/> lies in the interval and at least the margin from every kink.</summary>
    public bool Contains(double v) => v >= Low && v <= High && _kinks.All(k => Math.Abs(v - k) >= Margin);

    private IEnumerable<int> Grid() =>
        Enumerable.Range(0, 1 + (int)Math.Floor(High * 1000) - (int)Math.Ceiling(Low * 1000))
            .Select(k => k + (int)Math.Ceiling(Low * 1000)).Where(k => Contains(k / 1000.0));

    /// <summary>One value of the domain, on the 0.001 grid.</summary>
    public Gen<double> Element =>
        Gen.Choose((int)Math.Ceiling(Low * 1000), (int)Math.Floor(High * 1000)).Select(k => k / 1000.0).Where(Contains);

    /// <summary>
    /// Simpler values of the domain than <paramref name="v"/>: with fewer decimals (integers first), or as many but nearer
    /// zero. Strictly simpler each time, so shrinking ends.
    /// </summary>
    public IEnumerable<double> Shrink(double v)
    {
        var seen = new HashSet<double>();
        var candidates = new[] { 0.0, 1, -1, 2, -2, 3, -3 }
            .Concat(new[] { 0, 1, 2 }.Select(d => Math.Round(v, d, MidpointRounding.AwayFromZero)))
            .Concat(new[] { Math.Round(v * 2) / 2, Math.Round(v * 4) / 4, Math.Truncate(v * 10) / 10 })
            .Concat(new[] { Low, High, Math.Round(Low, 1, MidpointRounding.ToPositiveInfinity), Math.Round(High, 1, MidpointRounding.ToNegativeInfinity) });
        foreach (var c in candidates)
            if (c != v && Contains(c) && Simpler(c, v) && seen.Add(c)) yield return c;
    }

    private static bool Simpler(double a, double b)
    {
        int da = Decimals(a), db = Decimals(b);
        return da < db || (da == db && Math.Abs(a) < Math.Abs(b));
    }

    private static int Decimals(double v)
    {
        for (int d = 0; d < 6; d++)
            if (Math.Abs(v * Math.Pow(10, d) - Math.Round(v * Math.Pow(10, d))) < 1e-9) return d;
        return 6;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
