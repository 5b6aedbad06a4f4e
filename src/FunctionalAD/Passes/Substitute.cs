namespace FunctionalAD;

/// <summary>Replaces nodes (usually variables) by expressions of the same shape and dtype throughout an expression.</summary>
internal static class Substitute
{
    public static Expr[] Run(IReadOnlyList<Expr> roots, IReadOnlyDictionary<Expr, Expr> map)
    {
        foreach (var (from, to) in map)
        {
            if (from.Shape != to.Shape)
                throw new ShapeException($"substitute: {to} has shape {to.Shape} where {from} has shape {from.Shape}");
            if (from.DType != to.DType)
                throw new DTypeException($"substitute: {to} is {to.DType.Name()} where {from} is {from.DType.Name()}");
        }
        return Graph.Rebuild(roots, (node, args) =>
            map.TryGetValue(node, out var to) ? to :
            node is Apply a && !args.SequenceEqual(a.Args, ReferenceEqualityComparer.Instance) ? Primitive.Build(a.Op, args) :
            node);
    }
}
