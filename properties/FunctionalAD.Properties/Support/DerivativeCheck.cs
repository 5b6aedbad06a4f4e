using FunctionalAD;
using FunctionalAD.Properties.Generators;
using static FunctionalAD.Properties.Support.Numerics;

namespace FunctionalAD.Properties.Support;

/// <summary>Checks one primitive application's VJP and JVP (through <see cref="Ad"/>) against central differences.</summary>
public static class DerivativeCheck
{
    /// <summary>Throws a <see cref="PropertyFailure"/> saying what differs, or returns when the case holds.</summary>
    public static void Primitive(Type op, PrimitiveCase c)
    {
        var y = c.Build();
        if (y is not Apply a || a.Op.GetType() != op)
            throw new PropertyFailure($"the case builds {y}, which is not an application of {op.Name}");
        var vars = c.Vars;
        var env = Bind(vars, c.Values);
        var plan = Ad.Lower(y);

        // VJP: Σ u·∂y/∂x against the differences of ⟨u, y⟩.
        var u = Uniform(y.Shape, c.Seed, dtype: y.DType);
        var vjp = Ad.Eval(Ad.Vjp(y, Ex.Const(u), vars), env).Select(t => t.ToArray<double>()).ToArray();
        for (int i = 0; i < vars.Length; i++)
        {
            if (vjp[i].Length != c.Values[i].Size)
                throw new PropertyFailure($"VJP for {vars[i].Name} has {vjp[i].Length} elements, expected {c.Values[i].Size}");
            if (c.Kind is DerivativeKind.LocallyConstant or DerivativeKind.ZeroByDefinition) RequireZero(vjp[i], $"VJP for {vars[i].Name}");
        }
        if (c.Kind != DerivativeKind.ZeroByDefinition)
        {
            var fd = VjpByDifferences(plan, vars, c.Values, u.ToArray<double>(), c.Step);
            for (int i = 0; i < vars.Length; i++)
                RequireClose(vjp[i], fd[i], c.Tolerance, $"VJP for {vars[i].Name} vs central differences");
        }

        // JVP: ∂y/∂x · v by forward mode against the differences of y along v.
        var v = vars.Select((x, i) => Uniform(x.Shape, c.Seed + 1 + i)).ToArray();
        if (c.Kind == DerivativeKind.ReverseOnly)
        {
            try { Ad.Jvp(y, vars, v.Select(t => (Expr)Ex.Const(t)).ToArray()); }
            catch (DerivativeException) { return; }
            throw new PropertyFailure($"JVP of {y} should be refused (reverse-mode only)");
        }
        var jvp = Ad.Eval(Ad.Jvp(y, vars, v.Select(t => (Expr)Ex.Const(t)).ToArray()), env).ToArray<double>();
        if (jvp.Length != y.Shape.Size)
            throw new PropertyFailure($"JVP has {jvp.Length} elements, expected {y.Shape.Size}");
        if (c.Kind != DerivativeKind.Smooth) RequireZero(jvp, "JVP");
        if (c.Kind != DerivativeKind.ZeroByDefinition)
        {
            var fd = JvpByDifferences(plan, vars, c.Values, v.Select(t => t.ToArray<double>()).ToArray(), c.Step);
            RequireClose(jvp, fd, c.Tolerance, "JVP vs central differences");
        }
        else
        {
            RequireClose(plan.Run(env)[0].ToArray<double>(), c.Values[0].ToArray<double>(), 0, "value of the identity");
        }
    }
}
