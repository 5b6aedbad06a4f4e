namespace FunctionalAD;

/// <summary>
/// Replaces every application of a custom-rule function by its forward body over the actual arguments (nested
/// custom functions too), and every composite operation by its body, so compiled code fuses and schedules the
/// body like any other expression. Rules only matter to differentiation, which happens before compilation, so the
/// result has the same values.
/// </summary>
internal static class InlineCustom
{
    public static Expr[] Run(Expr[] outputs) => Inline(outputs, printing: false);

    /// <summary>
    /// Replaces only the composite operations by their bodies: what printing shows, since a composite is how the
    /// library builds a derived operation, not a function the user named (custom rules print under their names).
    /// </summary>
    public static Expr[] Composites(Expr[] outputs) => Inline(outputs, printing: true);

    private static Expr[] Inline(Expr[] outputs, bool printing)
    {
        if (outputs.Any(o => o is null) || !Graph.Reachable(outputs).Any(n => n is Apply a && a.Op.Inlined(printing))) return outputs;
        return Graph.Rebuild(outputs, (node, args) => node switch
        {
            Apply a when a.Op.Inlined(printing) => Inline(new[] { a.Op.Body(args) }, printing)[0],
            Apply a when !args.SequenceEqual(a.Args, ReferenceEqualityComparer.Instance) => Primitive.Build(a.Op, args),
            _ => node,
        });
    }
}
