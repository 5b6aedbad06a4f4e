using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace FunctionalAD.Repl;

/// <summary>
/// How the REPL shows a value: tensors as TensorFlow prints them, expressions as math, sequences one item per
/// line, tuples in parentheses, strings as they are (LaTeX and Graphviz text copies straight out), numbers in
/// invariant culture.
/// </summary>
public static class ValueFormatter
{
    /// <summary>The text shown for <paramref name="value"/>.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        // Raw, not as a C# literal: ToLatex() and ToDot() give text meant to be copied as it is.
        string s => s,
        char c => $"'{c}'",
        bool b => b ? "true" : "false",
        Tensor t => t.ToString(),
        Expr e => e.ToString(),
        ITuple tuple when value.GetType().IsValueType || value.GetType().Name.StartsWith("Tuple", StringComparison.Ordinal) =>
            "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Format(tuple[i]))) + ")",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable seq when value is Array or ICollection => Sequence(seq),
        _ => value.ToString() ?? "",
    };

    private static string Sequence(IEnumerable seq)
    {
        var items = seq.Cast<object?>().Select(Format).ToList();
        // Tensors and expressions span lines or run long: one per line reads better than a comma list.
        bool tall = items.Any(s => s.Contains('\n')) || items.Sum(s => s.Length) > 60;
        return tall
            ? "[\n" + string.Join(",\n", items.Select(s => "  " + s.Replace("\n", "\n  "))) + "\n]"
            : "[" + string.Join(", ", items) + "]";
    }
}
