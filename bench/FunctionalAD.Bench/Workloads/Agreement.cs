namespace FunctionalAD.Bench.Workloads;

/// <summary>Refuses to time two implementations that do not compute the same loss and gradients.</summary>
public static class Agreement
{
    /// <summary>Largest allowed |ours - peer| / (1 + max |peer|) per output; float32 sums in different orders.</summary>
    public const double Tolerance = 1e-3;

    /// <summary>Throws when an output's shape or values differ beyond <see cref="Tolerance"/>.</summary>
    public static void Check(string workload, Tensor[] ours, float[][] peer)
    {
        if (ours.Length != peer.Length)
            throw new InvalidOperationException($"{workload}: ours has {ours.Length} outputs, the peer {peer.Length}");
        for (int i = 0; i < ours.Length; i++)
        {
            float[] a = ours[i].ToFloatArray();
            float[] b = peer[i];
            if (a.Length != b.Length)
                throw new InvalidOperationException($"{workload}: output {i} has {a.Length} elements in ours, {b.Length} in the peer's");
            double scale = 1 + b.Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();
            double worst = 0;
            for (int j = 0; j < a.Length; j++) worst = Math.Max(worst, Math.Abs((double)a[j] - b[j]));
            if (!(worst / scale <= Tolerance))
                throw new InvalidOperationException(
                    $"{workload}: output {i} differs from the peer's by {worst:g3} (scale {scale:g3}); the two sides do not compute the same thing");
        }
    }
}
