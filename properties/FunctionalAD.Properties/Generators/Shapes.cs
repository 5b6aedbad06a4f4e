using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;

namespace FunctionalAD.Properties.Generators;

/// <summary>Generators of shapes: single shapes, shapes that broadcast together, axes, permutations, factorizations.</summary>
public static class Shapes
{
    /// <summary>Dimensions of rank <paramref name="minRank"/>..<paramref name="maxRank"/>, each 1..<paramref name="maxDim"/> (0 sometimes when <paramref name="allowEmpty"/>).</summary>
    public static Gen<int[]> Dims(int minRank = 0, int maxRank = 3, int maxDim = 3, bool allowEmpty = false) =>
        from rank in Gen.Choose(minRank, maxRank)
        from dims in Gen.ArrayOf(Dim(maxDim, allowEmpty), rank)
        select dims;

    private static Gen<int> Dim(int maxDim, bool allowEmpty) =>
        allowEmpty ? Gen.Frequency((12, Gen.Choose(1, maxDim)), (1, Gen.Constant(0))) : Gen.Choose(1, maxDim);

    /// <summary>A shape (see <see cref="Dims"/>).</summary>
    public static Gen<Shape> Of(int minRank = 0, int maxRank = 3, int maxDim = 3, bool allowEmpty = false) =>
        Dims(minRank, maxRank, maxDim, allowEmpty).Select(d => new Shape(d));

    /// <summary>
    /// A shape that broadcasts to <paramref name="target"/>: some leading axes dropped and some of the rest set to 1,
    /// as NumPy allows.
    /// </summary>
    public static Gen<Shape> BroadcastingTo(Shape target) =>
        from drop in Gen.Choose(0, target.Rank)
        from ones in Gen.ArrayOf(Gen.Elements(false, false, true), target.Rank)
        select new Shape(target.Skip(drop).Select((d, i) => ones[i + drop] ? 1 : d).ToArray());

    /// <summary><paramref name="n"/> shapes that broadcast together (to a generated common shape).</summary>
    public static Gen<Shape[]> Broadcasting(int n, bool allowEmpty = false) =>
        from target in Of(0, 3, 3, allowEmpty)
        from parts in Gen.ArrayOf(BroadcastingTo(target), n)
        select parts;

    /// <summary>A non-empty, sorted set of distinct axes of a rank-<paramref name="rank"/> shape, or null for all axes.</summary>
    public static Gen<int[]?> Axes(int rank) =>
        rank == 0
            ? Gen.Constant<int[]?>(null)
            : Gen.Frequency(
                (1, Gen.Constant<int[]?>(null)),
                (3, Gen.SubListOf(Enumerable.Range(0, rank).ToArray())
                    .Where(s => s.Count > 0)
                    .Select(s => (int[]?)s.OrderBy(a => a).ToArray())));

    /// <summary>A permutation of 0..rank-1.</summary>
    public static Gen<int[]> Permutation(int rank) => Gen.Shuffle(Enumerable.Range(0, rank)).Select(p => p.ToArray());

    /// <summary>Dimensions with the same product as <paramref name="size"/> (split into factors, with some 1s).</summary>
    public static Gen<int[]> Factorization(int size)
    {
        var primes = new List<int>();
        int s = size;
        for (int p = 2; s > 1; p++)
            while (s % p == 0) { primes.Add(p); s /= p; }
        if (size == 0) primes.Add(0);
        return from order in Gen.Shuffle(primes.ToArray())
               from cuts in Gen.ArrayOf(Gen.Elements(true, false), order.Length)
               from ones in Gen.Choose(0, 1)
               select Group(order.ToArray(), cuts, ones);
    }

    private static int[] Group(int[] factors, bool[] cuts, int ones)
    {
        var dims = new List<int>();
        int acc = 1;
        for (int i = 0; i < factors.Length; i++)
        {
            acc *= factors[i];
            if (cuts[i] || i == factors.Length - 1) { dims.Add(acc); acc = 1; }
        }
        for (int i = 0; i < ones; i++) dims.Insert(dims.Count == 0 ? 0 : (i * 7) % (dims.Count + 1), 1);
        return dims.ToArray();
    }
}
