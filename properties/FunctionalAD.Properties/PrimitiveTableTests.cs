using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;
using FunctionalAD.Properties.Support;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>Every primitive's VJP and JVP against central differences in float64, 100 generated cases per row.</summary>
public class PrimitiveTableTests
{
    /// <summary>The rows by name, for the theory.</summary>
    public static TheoryData<string> RowNames => new(PrimitiveTable.Rows.Keys.Select(t => t.Name).OrderBy(n => n));

    [Fact]
    public void Every_primitive_has_a_row()
    {
        var missing = Catalogue.Primitives.Where(t => !PrimitiveTable.Rows.ContainsKey(t)).Select(t => t.Name).ToArray();
        Assert.True(missing.Length == 0,
            $"primitives without a row in PrimitiveTable: {string.Join(", ", missing)}; add a generator of their cases");
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Vjp_and_jvp_match_central_differences(string primitive)
    {
        var row = PrimitiveTable.Rows.Values.Single(r => r.Op.Name == primitive);
        var property = Prop.ForAll(row.Cases.ToArbitrary(), c => DerivativeCheck.Primitive(row.Op, c));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100).WithQuietOnSuccess(true), property);
    }
}
