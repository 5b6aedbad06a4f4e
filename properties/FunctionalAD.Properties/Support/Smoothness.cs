using FsCheck.Fluent;
using FunctionalAD;
using static FunctionalAD.Properties.Support.Numerics;

namespace FunctionalAD.Properties.Support;

/// <summary>
/// Central differences that know when they cannot be trusted: taken at steps h and 2h, they must agree, or the
/// point lies within 2h of a kink or jump (or the function is too curved there) and the case is discarded.
/// A wrong derivative rule does not make the two steps disagree, so discarding never hides one.
/// </summary>
public static class Smoothness
{
    /// <summary>Step of the central differences in float64.</summary>
    public const double Step = 1e-5;

    /// <summary>How closely the differences at h and 2h must agree to be trusted.</summary>
    public const double Agreement = 1e-6;

    /// <summary>Largest magnitude a value may have for relative tolerances to mean something.</summary>
    public const double Bound = 1e6;

    /// <summary>The VJP by differences, or a discard when the point is not smooth enough to difference.</summary>
    public static double[][] Vjp(Plan plan, Expr[] vars, Tensor[] values, double[] u)
    {
        var h = VjpByDifferences(plan, vars, values, u, Step);
        var h2 = VjpByDifferences(plan, vars, values, u, 2 * Step);
        for (int i = 0; i < h.Length; i++) RequireAgreement(h[i], h2[i]);
        return h;
    }

    /// <summary>The JVP by differences, or a discard when the point is not smooth enough to difference.</summary>
    public static double[] Jvp(Plan plan, Expr[] vars, Tensor[] values, double[][] v)
    {
        var h = JvpByDifferences(plan, vars, values, v, Step);
        RequireAgreement(h, JvpByDifferences(plan, vars, values, v, 2 * Step));
        return h;
    }

    private static void RequireAgreement(double[] a, double[] b)
    {
        for (int j = 0; j < a.Length; j++)
            if (!Close(a[j], b[j], Agreement)) Discard();
    }

    /// <summary>Discards the case unless every value is finite and at most <see cref="Bound"/> in magnitude.</summary>
    public static void RequireModerate(params double[][] values)
    {
        foreach (var v in values)
            foreach (var x in v)
                if (!double.IsFinite(x) || Math.Abs(x) > Bound) Discard();
    }

    /// <summary>Tells FsCheck this case says nothing (it is not counted as a test).</summary>
    public static void Discard() => Prop.Discard<int>();
}
