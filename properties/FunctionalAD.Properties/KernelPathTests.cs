using System.Numerics;
using FunctionalAD;
using FunctionalAD.Properties.Support;
using Xunit;

namespace FunctionalAD.Properties;

/// <summary>
/// Vectorised and scalar kernel paths agree for every length 0..257 in float32 and float64: TensorPrimitives
/// switches between vector widths and a scalar tail by length, so every tail and every width is covered.
/// </summary>
public class KernelPathTests
{
    private const int MaxLength = 257;

    public static TheoryData<string, DType> BinaryOps => Cross(Catalogue.Instances<BinaryElementwise>().Select(o => o.Name));
    public static TheoryData<string, DType> UnaryOps => Cross(Catalogue.Instances<UnaryElementwise>().Select(o => o.Name));

    private static TheoryData<string, DType> Cross(IEnumerable<string> names)
    {
        var data = new TheoryData<string, DType>();
        foreach (var n in names)
            foreach (var d in new[] { DType.Float32, DType.Float64 }) data.Add(n, d);
        return data;
    }

    private static (double Rel, double Abs) Tolerance<T>(bool exact) =>
        exact ? (0, 0) : typeof(T) == typeof(float) ? (2e-6, 1e-6) : (1e-13, 1e-14);

    private static void Require<T>(T actual, double expected, (double Rel, double Abs) tol, Func<string> where)
        where T : IFloatingPointIeee754<T>
    {
        double a = double.CreateTruncating(actual);
        if (double.IsNaN(a) && double.IsNaN(expected)) return;
        if (a == expected) return;
        if (!(Math.Abs(a - expected) <= tol.Abs + tol.Rel * Math.Abs(expected)))
            throw new PropertyFailure($"{where()}: {a:R}, expected {expected:R}");
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary_vector_paths_equal_the_scalar_op(string op, DType dtype)
    {
        var o = Catalogue.Instances<BinaryElementwise>().Single(x => x.Name == op).Op;
        if (dtype == DType.Float32) Binary<float>(o, op); else Binary<double>(o, op);
    }

    private static void Binary<T>(BinaryElementwise op, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Pow's span kernel and its scalar Math.Pow are different algorithms, equal to rounding only.
        var tol = Tolerance<T>(exact: op is not PowOp);
        bool pow = op is PowOp;
        for (int n = 0; n <= MaxLength; n++)
        {
            var a = Numerics.Mixed<T>(n, n, pow ? 0.1 : -3, 3);
            var b = Numerics.Mixed<T>(n, n + 1000, -3, 3);
            T s = Numerics.Mixed<T>(1, n + 2000, pow ? 0.1 : -3, 3)[0];
            var d = new T[n];
            op.VV<T>(a, b, d);
            for (int i = 0; i < n; i++) Require(d[i], double.CreateTruncating(op.Op(a[i], b[i])), tol, () => $"{name} VV length {n} at {i}");
            op.VS<T>(a, s, d);
            for (int i = 0; i < n; i++) Require(d[i], double.CreateTruncating(op.Op(a[i], s)), tol, () => $"{name} VS length {n} at {i}");
            op.SV<T>(s, b, d);
            for (int i = 0; i < n; i++) Require(d[i], double.CreateTruncating(op.Op(s, b[i])), tol, () => $"{name} SV length {n} at {i}");
        }
    }

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_map_equals_a_scalar_reference_at_every_length(string op, DType dtype)
    {
        var o = Catalogue.Instances<UnaryElementwise>().Single(x => x.Name == op).Op;
        var f = PrimitiveTable.Rows.TryGetValue(o.GetType(), out var row) ? row.Reference : null;
        Assert.True(f is not null, $"{op} has no float64 reference: give its row in PrimitiveTable one");
        if (dtype == DType.Float32) Unary<float>(o, f!, op); else Unary<double>(o, f!, op);
    }

    private static void Unary<T>(UnaryElementwise op, Func<double, double> f, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tol = Tolerance<T>(exact: op is AbsOp or NegateOp or ReluOp or SignOp);
        for (int n = 0; n <= MaxLength; n++)
        {
            // Wide enough for exp, sigmoid and softplus to saturate; negatives give log and sqrt their NaNs.
            var x = Numerics.Mixed<T>(n, 3 * n, -12, 12);
            var y = new T[n];
            op.Map<T>(x, y);
            for (int i = 0; i < n; i++)
            {
                double expected = double.CreateTruncating(T.CreateTruncating(f(double.CreateTruncating(x[i]))));
                Require(y[i], expected, tol, () => $"{name} length {n} at {i} (x = {x[i]})");
            }
        }
    }
}
