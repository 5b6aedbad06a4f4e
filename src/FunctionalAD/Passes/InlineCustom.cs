namespace FunctionalAD;

/// <summary>
/// Replaces every application of a custom-rule function by its forward body over the actual arguments (nested
/// custom functions too), so compiled code fuses and schedules the body like any other expression. Rules only
/// matter to differentiation, which happens before compilation, so the result has the same values.
/// </summary>
internal static class InlineCustom
{
    public static Expr[] Run(Expr[] outputs)
    {
        if (outputs.Any(o => o is null) || !Graph.Reachable(outputs).Any(n => n is Apply { Op: CustomRuleOp })) return outputs;
        return Graph.Rebuild(outputs, (node, args) => node switch
        {
            Apply { Op: CustomRuleOp c } => Run(new[] { c.Inline(args) })[0],
            Apply a when !args.SequenceEqual(a.Args, ReferenceEqualityComparer.Instance) => Primitive.Build(a.Op, args),
            _ => node,
        });
    }
}
