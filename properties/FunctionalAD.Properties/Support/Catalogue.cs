using System.Reflection;
using FunctionalAD;

namespace FunctionalAD.Properties.Support;

/// <summary>The library's primitives found by reflection, as instances where a test needs to call their kernels.</summary>
public static class Catalogue
{
    /// <summary>Every concrete subclass of <see cref="Primitive"/> in the library.</summary>
    public static IEnumerable<Type> Primitives =>
        typeof(Primitive).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Primitive)) && !t.IsAbstract);

    /// <summary>
    /// Instances of every concrete subclass of <typeparamref name="TBase"/>: the shared <c>Instance</c> where there is
    /// one, every kind of a comparison. A subclass with neither is reported, so a new one cannot slip past.
    /// </summary>
    public static IReadOnlyList<(string Name, TBase Op)> Instances<TBase>() where TBase : Primitive
    {
        var found = new List<(string, TBase)>();
        foreach (var t in Primitives.Where(t => t.IsSubclassOf(typeof(TBase))).OrderBy(t => t.Name))
        {
            if (t == typeof(CompareOp))
            {
                foreach (var k in Enum.GetValues<Comparison>()) found.Add(($"{t.Name}.{k}", (TBase)(Primitive)new CompareOp(k)));
                continue;
            }
            // Ops with a parameter: one representative value each.
            if (t == typeof(LeakyReluOp)) { found.Add((t.Name, (TBase)(Primitive)new LeakyReluOp(0.2))); continue; }
            if (t == typeof(EluOp)) { found.Add((t.Name, (TBase)(Primitive)new EluOp(1.0))); continue; }
            var field = t.GetField("Instance", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                ?? throw new InvalidOperationException($"{t.Name} has no static Instance; teach Catalogue.Instances how to make one");
            found.Add((t.Name, (TBase)field.GetValue(null)!));
        }
        return found;
    }
}
