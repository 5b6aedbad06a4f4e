using FsCheck.Fluent;
using FunctionalAD.Properties;
using FunctionalAD.Properties.Support;
using Xunit;

namespace FunctionalAD.OnnxTests;

/// <summary>docs/onnx.md's mapping table stays in step with the primitives: every one is named, none is left unmapped.</summary>
public class OnnxDocsTests
{
    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "FunctionalAD.sln"))) return d.FullName;
        throw new InvalidOperationException("FunctionalAD.sln not found above the test assembly");
    }

    /// <summary>The mapping table's rows: the primitive names of the first column (parenthesised remarks dropped) and the operators.</summary>
    private static List<(string[] Names, string Operators)> MappingTable()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot(), "docs", "onnx.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("## Mapping table", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/onnx.md has no '## Mapping table' section");
        return lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2)
            .Select(l => l.Split('|'))
            .Select(c => (System.Text.RegularExpressions.Regex.Replace(c[1], @"\([^)]*\)", "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), c[2].Trim()))
            .ToList();
    }

    /// <summary>The names a primitive type goes by in the table's generated cases (argmax and argmin are one type).</summary>
    private static IEnumerable<string> NamesOf(Type op)
    {
        var names = new HashSet<string>();
        void Walk(Expr e)
        {
            if (e is Apply a && a.Op.GetType() == op) names.Add(a.Op.Name);
            foreach (var x in e.Args) Walk(x);
        }
        foreach (var c in PrimitiveTable.Rows[op].Cases.Sample(20, 10))
        {
            var y = c.Build();
            Walk(y);
            // Gradient forms (avg_pool2d_grad, max_pool2d_grad, ...) appear in the VJP graphs the export tests write.
            if (y.DType.IsFloat() && c.Vars.Any(v => v.DType.IsFloat()))
                foreach (var g in Ad.Vjp(y, Ex.Var("g", y.Shape, y.DType), c.Vars.Where(v => v.DType.IsFloat()).ToArray())) Walk(g);
        }
        return names;
    }

    [Fact]
    public void The_mapping_table_names_every_primitive_and_maps_each_to_operators()
    {
        var table = MappingTable();
        var documented = table.SelectMany(r => r.Names).ToHashSet();
        foreach (var (names, ops) in table)
            Assert.False(ops.Length == 0 || ops.StartsWith("none", StringComparison.OrdinalIgnoreCase),
                $"docs/onnx.md maps {string.Join(", ", names)} to no operators ('{ops}'): every primitive exports now");
        var missing = Catalogue.Primitives
            .Where(t => !typeof(CustomRuleOp).IsAssignableFrom(t))
            .SelectMany(t => NamesOf(t).Where(n => !documented.Contains(n)).Select(n => $"{n} ({t.Name})"))
            .ToArray();
        Assert.True(missing.Length == 0, $"docs/onnx.md's mapping table does not name: {string.Join(", ", missing)}");
        Assert.Contains("custom_vjp", documented);
    }
}
