using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;

namespace FunctionalAD.Properties.Generators;

/// <summary>Where a primitive's arguments may lie so that central differences see a smooth function.</summary>
public enum Domain
{
    /// <summary>[-2, 2].</summary>
    Any,
    /// <summary>[0.3, 3]: log, sqrt, the base of pow.</summary>
    Positive,
    /// <summary>±[0.2, 2]: away from the kink of abs, relu and sign.</summary>
    AwayFromZero,
    /// <summary>Multiples of ½ in [-2, 2]: one side of a comparison.</summary>
    GridEven,
    /// <summary>Multiples of ½ plus ¼: the other side, so it never ties with <see cref="GridEven"/>.</summary>
    GridOdd,
    /// <summary>All elements distinct (a shuffled ladder of step 0.1): no ties for max.</summary>
    Distinct,
    /// <summary>k + ½ ± 0.3 for integer k in [-1, 4]: away from the jumps of truncation to int.</summary>
    NonInteger,
    /// <summary>[-1, 1].</summary>
    Small,
}

/// <summary>Generators of float64 tensors inside a <see cref="Domain"/>.</summary>
public static class Values
{
    /// <summary>A float64 tensor of <paramref name="shape"/> with elements in <paramref name="domain"/>.</summary>
    public static Gen<Tensor> Of(Shape shape, Domain domain = Domain.Any)
    {
        int n = shape.Size;
        if (domain == Domain.Distinct)
            return from offset in Gen.Choose(-20, 20)
                   from order in Gen.Shuffle(Enumerable.Range(0, n))
                   select Tensor.From(order.Select(k => 0.1 * (k + offset)).ToArray(), shape);
        return Gen.ArrayOf(Element(domain), n).Select(v => Tensor.From(v, shape));
    }

    /// <summary>One element of <paramref name="domain"/>.</summary>
    public static Gen<double> Element(Domain domain) => domain switch
    {
        Domain.Any => Gen.Choose(-2000, 2000).Select(k => k / 1000.0),
        Domain.Small => Gen.Choose(-1000, 1000).Select(k => k / 1000.0),
        Domain.Positive => Gen.Choose(300, 3000).Select(k => k / 1000.0),
        Domain.AwayFromZero => from m in Gen.Choose(200, 2000) from s in Gen.Elements(-1, 1) select s * m / 1000.0,
        Domain.GridEven => Gen.Choose(-4, 4).Select(k => 0.5 * k),
        Domain.GridOdd => Gen.Choose(-4, 4).Select(k => 0.5 * k + 0.25),
        Domain.NonInteger => from k in Gen.Choose(-1, 4) from d in Gen.Choose(-300, 300) select k + 0.5 + d / 1000.0,
        _ => throw new ArgumentOutOfRangeException(nameof(domain)),
    };
}
