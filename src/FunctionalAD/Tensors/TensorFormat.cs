using System.Globalization;
using System.Text;

namespace FunctionalAD;

public sealed partial class Tensor
{
    /// <summary>
    /// TensorFlow's printed form, with NumPy's number layout:
    /// <c>tf.Tensor(2.0, shape=(), dtype=float32)</c>, or nested brackets for higher ranks.
    /// </summary>
    public override string ToString()
    {
        var body = FormatValues();
        var sep = Rank >= 2 ? "\n" : "";
        return $"tf.Tensor({sep}{body}, shape={Shape}, dtype={DType.Name()})";
    }

    /// <summary>The elements alone, laid out as NumPy prints an array.</summary>
    public string FormatValues()
    {
        var cells = FormatCells();
        if (Rank == 0) return cells[0];
        int width = cells.Length == 0 ? 0 : cells.Max(c => c.Length);
        var sb = new StringBuilder();
        int pos = 0;
        Nest(sb, 0, ref pos, cells, width);
        return sb.ToString();
    }

    private void Nest(StringBuilder sb, int axis, ref int pos, string[] cells, int width)
    {
        sb.Append('[');
        int n = Shape[axis];
        for (int i = 0; i < n; i++)
        {
            if (axis == Rank - 1)
            {
                if (i > 0) sb.Append(' ');
                sb.Append(cells[pos++].PadLeft(width));
            }
            else
            {
                if (i > 0)
                {
                    sb.Append('\n', Rank - 1 - axis);
                    sb.Append(' ', axis + 1);
                }
                Nest(sb, axis + 1, ref pos, cells, width);
            }
        }
        sb.Append(']');
    }

    private string[] FormatCells()
    {
        var inv = CultureInfo.InvariantCulture;
        if (DType == DType.Int32) return Enumerable.Range(0, Size).Select(i => ((int)At(i)).ToString(inv)).ToArray();
        var values = Enumerable.Range(0, Size).Select(At).ToArray();
        if (Rank == 0) return new[] { Shortest(values[0]) };
        var finite = values.Where(double.IsFinite).Select(Math.Abs).ToArray();
        double max = finite.Length > 0 ? finite.Max() : 0;
        double minNonZero = finite.Where(v => v > 0).DefaultIfEmpty(0).Min();
        if (max >= 1e16 || (minNonZero > 0 && minNonZero < 1e-4) || (minNonZero > 0 && max / minNonZero > 1e3 && max >= 1e8))
            return values.Select(v => double.IsFinite(v) ? v.ToString("0.########e+00", inv) : Special(v)).ToArray();
        if (values.All(v => !double.IsFinite(v) || v == Math.Floor(v)))
            return values.Select(v => double.IsFinite(v) ? v.ToString("0", inv) + "." : Special(v)).ToArray();
        // NumPy 'maxprec': at most 8 decimals, the same count for every element, trailing zeros kept.
        var text = values.Select(v => double.IsFinite(v) ? Decimal(v) : Special(v)).ToArray();
        int decimals = text.Max(t => t.Contains('.') ? t.Length - t.IndexOf('.') - 1 : 0);
        return text.Select(t => !t.Any(char.IsDigit) ? t : Pad(t, decimals)).ToArray();
    }

    // The shortest text that reads back as the same float32 or float64, cut to at most 8 decimals.
    private string Decimal(double v)
    {
        var inv = CultureInfo.InvariantCulture;
        var r = DType == DType.Float32 ? ((float)v).ToString("R", inv) : v.ToString("R", inv);
        if (r.Contains('E') || (r.Contains('.') && r.Length - r.IndexOf('.') - 1 > 8))
            r = Math.Round(v, 8).ToString("0.########", inv);
        return r;
    }

    private static string Pad(string t, int decimals)
    {
        int have = t.Contains('.') ? t.Length - t.IndexOf('.') - 1 : -1;
        if (have < 0) return t + "." + new string(' ', decimals);
        return t + new string(' ', decimals - have);
    }

    private string Shortest(double v)
    {
        if (!double.IsFinite(v)) return Special(v);
        var s = DType == DType.Float32 ? ((float)v).ToString("R", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);
        if (s.Contains('E')) return s.Replace("E", "e");
        return s.Contains('.') ? s : s + ".0";
    }

    private static string Special(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
}
