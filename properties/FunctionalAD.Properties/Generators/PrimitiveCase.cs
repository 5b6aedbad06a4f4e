using FunctionalAD;

namespace FunctionalAD.Properties.Generators;

/// <summary>What central differences can say about a primitive's derivative.</summary>
public enum DerivativeKind
{
    /// <summary>Differentiable where the case lies: VJP and JVP must match central differences.</summary>
    Smooth,
    /// <summary>Piecewise constant, with the case away from the jumps: derivative and differences are both zero.</summary>
    LocallyConstant,
    /// <summary>Zero by definition (stop_gradient) although the value moves: the derivative must be exactly zero.</summary>
    ZeroByDefinition,
    /// <summary>Smooth in reverse mode, with no forward mode by design (custom_vjp): JVP must refuse with a DerivativeException.</summary>
    ReverseOnly,
}

/// <summary>
/// One generated application of a primitive: float64 input variables with values, how to build the application
/// from them, and how to judge its derivative. Prints as the math it builds plus the inputs.
/// </summary>
public sealed class PrimitiveCase(
    string[] names, Tensor[] values, Func<Expr[], Expr> build, int seed,
    DerivativeKind kind = DerivativeKind.Smooth, double step = 1e-5, double tolerance = 1e-6)
{
    /// <summary>The inputs, float64 variables named a, b, c... with the shapes of their values.</summary>
    public Var[] Vars { get; } = names.Zip(values, (n, v) => (Var)Ex.Var(n, v.Shape, v.DType)).ToArray();
    /// <summary>The inputs' values.</summary>
    public Tensor[] Values { get; } = values;
    /// <summary>Seed of the random cotangent and tangents.</summary>
    public int Seed { get; } = seed;
    /// <summary>How the derivative is judged.</summary>
    public DerivativeKind Kind { get; } = kind;
    /// <summary>Central-difference step.</summary>
    public double Step { get; } = step;
    /// <summary>Relative tolerance: |ad - fd| ≤ tol·(1 + |fd|).</summary>
    public double Tolerance { get; } = tolerance;

    /// <summary>The application under test, built from <see cref="Vars"/>.</summary>
    public Expr Build() => build(Vars);

    /// <summary>The application under test built from other inputs (float32 variables, say) of the same shapes.</summary>
    public Expr BuildWith(Expr[] inputs) => build(inputs);

    /// <inheritdoc/>
    public override string ToString()
    {
        var inputs = Vars.Zip(Values, (v, t) => $"{v.Name}{v.Shape} = [{Support.Numerics.Show(t.ToArray<double>())}]");
        return $"{Build()}   where {string.Join("; ", inputs)}   ({Kind}, seed {Seed})";
    }
}

/// <summary>
/// A row of the primitive table: the primitive's class, a generator of cases inside its domain, and for an
/// element-wise function f its float64 reference, written independently of the library (the kernels are checked
/// against it at every span length).
/// </summary>
public sealed record PrimitiveRow(Type Op, FsCheck.Gen<PrimitiveCase> Cases, Func<double, double>? Reference = null);
