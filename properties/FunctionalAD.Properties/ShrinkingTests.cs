using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;
using FunctionalAD.Testing;
using FunctionalAD.Properties.Generators;
using FunctionalAD.Properties.Support;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>A failing random expression shrinks to a minimal one and prints as math.</summary>
public class ShrinkingTests
{
    private static bool Uses<TOp>(Expr e) where TOp : Primitive =>
        e is Apply a && (a.Op is TOp || a.Args.Any(Uses<TOp>));

    // A planted bug: pretend tanh's derivative is 1 (as if its rule were missing). Differentiating
    // an expression that uses tanh then disagrees with the differences; everything else agrees.
    private static void PlantedBugCheck(ExprCase c)
    {
        if (Uses<TanhOp>(c.Expr)) throw new PropertyFailure("planted bug: tanh's derivative was taken as 1");
    }

    [Fact]
    public void A_failing_case_shrinks_to_a_one_primitive_expression_printed_as_math()
    {
        var property = Prop.ForAll(ExprCase.Arbitrary(), PlantedBugCheck);
        var failure = Assert.ThrowsAny<Exception>(() =>
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property));
        var shrunk = failure.Message[failure.Message.IndexOf("Shrunk", StringComparison.Ordinal)..];
        // The smallest expression that uses tanh is tanh of the first variable, with every shape shrunk away.
        Assert.Contains("f = tanh(x)\n", shrunk);
        Assert.Contains("(2 nodes,", shrunk);
        Assert.Matches(@"where x\(\) = \[", shrunk);
        Assert.Contains("planted bug", shrunk);
    }

    [Fact]
    public void Shrinking_a_tree_offers_its_subtrees_first()
    {
        var tree = new BinaryNode(BinaryKind.Add, new UnaryNode(UnaryKind.Sin, new Leaf(1)), new ReductionNode(ReductionKind.Sum, 0, true, new Leaf(2)));
        var first = ExprTree.Shrink(tree).Take(2).ToArray();
        Assert.Equal(new Node[] { tree.A, tree.B }, first);
        Assert.All(ExprTree.Shrink(tree), s => Assert.True(s.Size <= tree.Size));
    }
}
