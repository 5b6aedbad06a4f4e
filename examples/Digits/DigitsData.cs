using System.Globalization;
using FunctionalAD;

namespace Digits;

/// <summary>The UCI digits as tensors: 8×8 images flattened to 64 pixels scaled to [0, 1], and labels 0..9.</summary>
public sealed record DigitsSet(float[] Pixels, int[] Labels)
{
    /// <summary>Pixels per image.</summary>
    public const int Features = 64;

    /// <summary>Number of digit classes.</summary>
    public const int Classes = 10;

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Reads the CSV: 64 pixel values 0..16 then the label on each line, no header.</summary>
    public static DigitsSet Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"digits data not found at {path}", path);
        var pixels = new List<float>();
        var labels = new List<int>();
        int line = 0;
        foreach (var row in File.ReadLines(path))
        {
            line++;
            if (row.Length == 0) continue;
            var cells = row.Split(',');
            if (cells.Length != Features + 1)
                throw new FormatException($"{path}:{line}: expected {Features + 1} values, found {cells.Length}");
            for (int i = 0; i < Features; i++) pixels.Add(float.Parse(cells[i], CultureInfo.InvariantCulture) / 16f);
            labels.Add(int.Parse(cells[Features], CultureInfo.InvariantCulture));
        }
        return new DigitsSet(pixels.ToArray(), labels.ToArray());
    }

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public DigitsSet Take(IReadOnlyList<int> indices)
    {
        var px = new float[indices.Count * Features];
        var lb = new int[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            Array.Copy(Pixels, indices[k] * Features, px, k * Features, Features);
            lb[k] = Labels[indices[k]];
        }
        return new DigitsSet(px, lb);
    }

    /// <summary>A seeded shuffle split: the first (1 − testFraction) for training, the rest for testing.</summary>
    public (DigitsSet Train, DigitsSet Test) Split(double testFraction, int seed)
    {
        var order = Shuffled(Count, new Random(seed));
        int test = (int)Math.Round(Count * testFraction);
        return (Take(order[..^test]), Take(order[^test..]));
    }

    /// <summary>0..n−1 in a random order (Fisher-Yates).</summary>
    public static int[] Shuffled(int n, Random rng)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The pixels as a (count, 64) float32 tensor.</summary>
    public Tensor PixelTensor() => Tensor.From(Pixels, new Shape(Count, Features));

    /// <summary>The labels as a (count,) int32 tensor.</summary>
    public Tensor LabelTensor() => Tensor.From(Labels);
}
