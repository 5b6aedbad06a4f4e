namespace FunctionalAD.Testing;

/// <summary>
/// The work of one gradient check: Jacobians by rules and by differences for the function and, order by order, for its
/// derivative functions, with every comparison and failure collected.
/// </summary>
internal sealed class Checker(GradCheckOptions options, DType dtype, CheckMode mode, int maxOrder)
{
    private readonly (double H, double Rtol, double Atol) _tol = options.Resolve(dtype);
    private readonly List<GradCheckEntry> _checks = new();
    private readonly List<GradCheckFailure> _failures = new();
    private bool _smooth = true;

    public GradCheckReport Report(string signature) =>
        new(dtype, _tol.H, _tol.Rtol, _tol.Atol, _smooth, _checks,
            _failures.OrderByDescending(f => double.IsNaN(f.Error) ? double.PositiveInfinity : f.Error / Math.Max(f.Allowed, double.Epsilon)).ToArray(),
            signature);

    public void Check(int order, string name, Func<Expr[], Expr> f, Tensor[] at, string[] names)
    {
        var (vars, y) = GradCheck.Build(f, at, names);
        var floats = Enumerable.Range(0, at.Length).Where(i => at[i].DType.IsFloat()).ToArray();
        int m = y.Shape.Size;
        int n = floats.Sum(i => at[i].Size);
        if (m == 0 || n == 0) return;

        var plan = Ad.Lower(y);
        var numeric = NumericJacobian(plan, vars, at, floats, _tol.H, out var oneSided);
        bool[,]? unjudged = null;
        if (options.DetectKinks)
        {
            // A kink shows as one-sided differences that disagree (even exactly at the kink, where the central
            // difference is a smooth-looking average), and a point within 2h of one as central differences at h and
            // 2h that disagree. A wrong rule does neither.
            var wide = NumericJacobian(plan, vars, at, floats, 2 * _tol.H, out _);
            for (int r = 0; r < m; r++)
                for (int c = 0; c < n; c++)
                    if (!Within(wide[r, c], numeric[r, c]) || oneSided[r, c] > 10 * (_tol.Atol + _tol.Rtol * Math.Abs(numeric[r, c])))
                    {
                        unjudged ??= new bool[m, n];
                        unjudged[r, c] = true;
                        _smooth = false;
                    }
        }

        var available = mode;
        foreach (var md in new[] { CheckMode.Reverse, CheckMode.Forward }.Where(md => mode.HasFlag(md)))
        {
            double[,] analytic;
            try
            {
                analytic = md == CheckMode.Reverse ? ReverseJacobian(y, vars, at, floats) : ForwardJacobian(y, vars, at, floats);
            }
            catch (DerivativeException e) when (mode == CheckMode.Both)
            {
                // A custom_vjp function has no forward mode (a nonlinear custom_jvp rule no reverse mode): asked for
                // both, the report says which one does not exist and checks the other.
                _checks.Add(new GradCheckEntry(order, md, name, 0, 0, 0, e.Message.Split('\n')[0]));
                available &= ~md;
                continue;
            }
            Compare(order, md, name, analytic, numeric, unjudged, y, at, floats, names);
        }

        if (order >= maxOrder) return;
        var rng = new Random(options.Seed + 7919 * order);
        if (available.HasFlag(CheckMode.Reverse))
        {
            // vjp(f)(x, ȳ) = ȳᵀ ∂f/∂x, all float inputs' cotangents flattened into one vector.
            var u = Random(rng, y.Shape, dtype);
            Func<Expr[], Expr> vjp = v =>
            {
                var fy = f(v[..at.Length]);
                var cts = Ad.Vjp(fy, v[^1], floats.Select(i => v[i]).ToArray());
                return cts.Length == 1 ? Ex.Reshape(cts[0], -1) : Ex.Concat(cts.Select(c => Ex.Reshape(c, -1)).ToArray());
            };
            Check(order + 1, $"vjp({name})", vjp, at.Append(u).ToArray(), names.Append($"ȳ{order}").ToArray());
        }
        if (available.HasFlag(CheckMode.Forward))
        {
            // jvp(f)(x, ẋ) = Σᵢ ∂f/∂xᵢ ẋᵢ over the float inputs.
            var ts = floats.Select(i => Random(rng, at[i].Shape, dtype)).ToArray();
            Func<Expr[], Expr> jvp = v =>
            {
                var fy = f(v[..at.Length]);
                return Ad.Jvp(fy, floats.Select(i => v[i]).ToArray(), v[at.Length..]);
            };
            Check(order + 1, $"jvp({name})", jvp, at.Concat(ts).ToArray(), names.Concat(floats.Select(i => $"ẋ{order}{names[i]}")).ToArray());
        }
    }

    private bool Within(double got, double reference) => Math.Abs(got - reference) <= _tol.Atol + _tol.Rtol * Math.Abs(reference);

    private void Compare(int order, CheckMode m, string name, double[,] analytic, double[,] numeric, bool[,]? unjudged,
        Expr y, Tensor[] at, int[] floats, string[] names)
    {
        int rows = analytic.GetLength(0), cols = analytic.GetLength(1), bad = 0, entries = 0;
        double maxError = 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                if (unjudged?[r, c] == true) continue;
                entries++;
                double a = analytic[r, c], nu = numeric[r, c], err = Math.Abs(a - nu);
                if (!(err <= maxError)) maxError = double.IsNaN(err) ? double.NaN : Math.Max(maxError, err);
                if (Within(a, nu)) continue;
                bad++;
                var (input, element) = Locate(c, at, floats);
                _failures.Add(new GradCheckFailure(order, m, name, input, names[input],
                    Unravel(element, at[input].Shape), Unravel(r, y.Shape), a, nu, _tol.Atol + _tol.Rtol * Math.Abs(nu)));
            }
        _checks.Add(new GradCheckEntry(order, m, name, entries, maxError, bad));
    }

    private static (int Input, int Element) Locate(int column, Tensor[] at, int[] floats)
    {
        foreach (var i in floats)
        {
            if (column < at[i].Size) return (i, column);
            column -= at[i].Size;
        }
        throw new InvalidOperationException("column outside the inputs");
    }

    internal static int[] Unravel(int flat, Shape shape)
    {
        var index = new int[shape.Rank];
        for (int a = shape.Rank - 1; a >= 0; a--)
        {
            index[a] = flat % shape[a];
            flat /= shape[a];
        }
        return index;
    }

    private static double[] Run(Plan plan, Var[] vars, Tensor[] values) =>
        plan.Run(GradCheck.Bind(vars, values))[0].ToArray<double>();

    /// <summary>
    /// Column c of J is (f(x + h eᶜ) - f(x - h eᶜ)) / (x₊ - x₋), with x± as actually stored (float32 rounds them).
    /// <paramref name="oneSided"/> gets |forward difference - backward difference| per entry.
    /// </summary>
    private double[,] NumericJacobian(Plan plan, Var[] vars, Tensor[] at, int[] floats, double h, out double[,] oneSided)
    {
        var f0 = Run(plan, vars, at);
        int m = f0.Length;
        int n = floats.Sum(i => at[i].Size);
        var jac = new double[m, n];
        oneSided = new double[m, n];
        int col = 0;
        foreach (var i in floats)
        {
            var x = at[i].ToArray<double>();
            for (int j = 0; j < x.Length; j++, col++)
            {
                var up = (double[])x.Clone();
                var down = (double[])x.Clone();
                up[j] += h;
                down[j] -= h;
                var vs = (Tensor[])at.Clone();
                vs[i] = GradCheck.Make(up, at[i].Shape, dtype);
                double above = vs[i].ToArray<double>()[j];
                var fu = Run(plan, vars, vs);
                vs[i] = GradCheck.Make(down, at[i].Shape, dtype);
                double below = vs[i].ToArray<double>()[j], x0 = at[i].ToArray<double>()[j];
                var fd = Run(plan, vars, vs);
                for (int r = 0; r < m; r++)
                {
                    jac[r, col] = (fu[r] - fd[r]) / (above - below);
                    oneSided[r, col] = Math.Abs((fu[r] - f0[r]) / (above - x0) - (f0[r] - fd[r]) / (x0 - below));
                }
            }
        }
        return jac;
    }

    /// <summary>Row r of J is the VJP with the unit cotangent eʳ.</summary>
    private double[,] ReverseJacobian(Expr y, Var[] vars, Tensor[] at, int[] floats)
    {
        var u = (Var)Ex.Var("ȳ#gradcheck", y.Shape, y.DType);
        var plan = Ad.Lower(Ad.Vjp(y, u, floats.Select(i => (Expr)vars[i]).ToArray()));
        var all = vars.Append(u).ToArray();
        int m = y.Shape.Size, n = floats.Sum(i => at[i].Size);
        var jac = new double[m, n];
        for (int r = 0; r < m; r++)
        {
            var e = new double[m];
            e[r] = 1;
            var rows = plan.Run(GradCheck.Bind(all, at.Append(GradCheck.Make(e, y.Shape, y.DType)).ToArray()));
            int c = 0;
            foreach (var g in rows)
                foreach (var d in g.ToArray<double>()) jac[r, c++] = d;
        }
        return jac;
    }

    /// <summary>Column c of J is the JVP with the unit tangent eᶜ.</summary>
    private double[,] ForwardJacobian(Expr y, Var[] vars, Tensor[] at, int[] floats)
    {
        var ts = floats.Select(i => (Var)Ex.Var($"ẋ#gradcheck{i}", at[i].Shape, at[i].DType)).ToArray();
        var plan = Ad.Lower(Ad.Jvp(y, floats.Select(i => (Expr)vars[i]).ToArray(), ts.Cast<Expr>().ToArray()));
        int m = y.Shape.Size, n = floats.Sum(i => at[i].Size);
        var jac = new double[m, n];
        int col = 0;
        for (int k = 0; k < floats.Length; k++)
        {
            var shape = at[floats[k]].Shape;
            for (int j = 0; j < shape.Size; j++, col++)
            {
                var env = GradCheck.Bind(vars, at);
                for (int q = 0; q < ts.Length; q++)
                {
                    var e = new double[ts[q].Shape.Size];
                    if (q == k) e[j] = 1;
                    env = env.Bind(ts[q], GradCheck.Make(e, ts[q].Shape, ts[q].DType));
                }
                var v = plan.Run(env)[0].ToArray<double>();
                for (int r = 0; r < m; r++) jac[r, col] = v[r];
            }
        }
        return jac;
    }

    private static Tensor Random(Random rng, Shape shape, DType dtype) =>
        GradCheck.Make(Enumerable.Range(0, shape.Size).Select(_ => Math.Round(rng.NextDouble() * 2 - 1, 3)).ToArray(), shape, dtype);
}
