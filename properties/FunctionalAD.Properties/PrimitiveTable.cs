using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using static FunctionalAD.Properties.Generators.DerivativeKind;

namespace FunctionalAD.Properties;

/// <summary>
/// The catalogue as data: one row per primitive, each a generator of applications with shapes (broadcasting
/// included) and values inside the primitive's domain. Adding a primitive means adding its row here;
/// <see cref="PrimitiveTableTests.Every_primitive_has_a_row"/> fails until it is.
/// </summary>
public static class PrimitiveTable
{
    /// <summary>The rows, keyed by the primitive's class.</summary>
    public static IReadOnlyDictionary<Type, PrimitiveRow> Rows => LazyRows.Value;

    // Lazy, so the generators' own static fields are initialised before the rows use them.
    private static readonly Lazy<IReadOnlyDictionary<Type, PrimitiveRow>> LazyRows = new(() => new PrimitiveRow[]
    {
        Unary<AbsOp>(Ex.Abs, Domain.AwayFromZero, reference: Math.Abs),
        Unary<CosOp>(Ex.Cos, reference: Math.Cos),
        Unary<ExpOp>(Ex.Exp, reference: Math.Exp),
        Unary<LogOp>(Ex.Log, Domain.Positive, reference: Math.Log),
        Unary<NegateOp>(Ex.Negate, reference: x => -x),
        Unary<ReluOp>(Ex.Relu, Domain.AwayFromZero, reference: x => x > 0 ? x : 0),
        Unary<SigmoidOp>(Ex.Sigmoid, reference: x => 1 / (1 + Math.Exp(-x))),
        Unary<SignOp>(Ex.Sign, Domain.AwayFromZero, LocallyConstant, x => Math.Sign(x)),
        Unary<SinOp>(Ex.Sin, reference: Math.Sin),
        Unary<SoftplusOp>(Ex.Softplus, reference: x => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)))),
        Unary<SqrtOp>(Ex.Sqrt, Domain.Positive, reference: Math.Sqrt),
        Unary<TanhOp>(Ex.Tanh, reference: Math.Tanh),
        Unary<StopGradientOp>(Ex.StopGradient, Domain.Any, ZeroByDefinition),
        Unary<Log1pOp>(Ex.Log1p, Domain.Positive, reference: x => Math.Log(1 + x)),
        Unary<Expm1Op>(Ex.Expm1, reference: x => Math.Exp(x) - 1),
        Unary<ErfOp>(Ex.Erf, reference: ElementwisePrimitivesTests.ErfReference),
        Unary<SoftsignOp>(Ex.Softsign, Domain.AwayFromZero, reference: x => x / (1 + Math.Abs(x))),
        Unary<LogSigmoidOp>(Ex.LogSigmoid, reference: x => -(Math.Max(-x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x))))),
        new(typeof(LeakyReluOp), AlphaCases(Ex.LeakyRelu)),
        new(typeof(EluOp), AlphaCases(Ex.Elu)),
        new(typeof(CumSumOp), ScanCases(Ex.CumSum)),
        new(typeof(LinearScanOp), LinearScanCases()),
        new(typeof(ArgSortOp), ArgSortCases()),
        new(typeof(PermuteRowsOp), PermuteRowsCases()),

        Binary<AddOp>(Ex.Add),
        Binary<SubtractOp>(Ex.Subtract),
        Binary<MultiplyOp>(Ex.Multiply),
        Binary<DivideOp>(Ex.Divide, Domain.Any, Domain.AwayFromZero),
        Binary<MaximumOp>(Ex.Maximum, Domain.GridEven, Domain.GridOdd),
        Binary<MinimumOp>(Ex.Minimum, Domain.GridEven, Domain.GridOdd),
        Binary<Atan2Op>(Ex.Atan2, Domain.AwayFromZero, Domain.Any),
        Binary<TieShareOp>(Ex.TieShare, Domain.GridEven, Domain.GridOdd, LocallyConstant),
        new(typeof(PowOp), PowCases()),
        new(typeof(CompareOp), CompareCases()),
        new(typeof(WhereOp), WhereCases()),

        Reduction<SumOp>(Ex.Sum, Domain.Any, allowEmpty: true),
        Reduction<MaxOp>(Ex.Max, Domain.Distinct),
        Reduction<LogSumExpOp>(Ex.LogSumExp, Domain.Any),
        Reduction<NormOp>(Ex.Norm, Domain.AwayFromZero),

        new(typeof(MatMulOp), MatMulCases()),
        new(typeof(ReshapeOp), ReshapeCases()),
        new(typeof(TransposeOp), TransposeCases()),
        new(typeof(BroadcastToOp), BroadcastToCases()),
        new(typeof(SliceOp), SliceCases()),
        new(typeof(ConcatOp), ConcatCases()),
        new(typeof(PadOp), PadCases()),
        new(typeof(CastOp), CastCases()),
        new(typeof(OneHotOp), OneHotCases()),
        new(typeof(SoftmaxCrossEntropyOp), SoftmaxCrossEntropyCases()),
        new(typeof(Conv2DOp), ConvCases(forFilters: false)),
        new(typeof(Conv2DBackpropInputOp), ConvBackpropInputCases()),
        new(typeof(Conv2DBackpropFilterOp), ConvCases(forFilters: true)),
        new(typeof(MaxPool2DOp), PoolCases((x, k, s, p) => Ex.MaxPool2D(x, k, s, p), Domain.Distinct)),
        new(typeof(MaxPool2DRouteOp), MaxPoolRouteCases()),
        new(typeof(AvgPool2DOp), PoolCases((x, k, s, p) => Ex.AvgPool2D(x, k, s, p), Domain.Any)),
        new(typeof(CustomVjpOp), CustomCases(CustomVjpProduct, ReverseOnly)),
        new(typeof(CustomJvpOp), CustomCases(CustomJvpProduct, Smooth)),
        new(typeof(LabelRangeOp), LabelRangeCases()),
        new(typeof(SparseLabelLossOp), SparseLabelLossCases()),
        new(typeof(ArgMaxOp), ArgMaxCases()),
        new(typeof(GatherNdOp), GatherNdCases()),
        new(typeof(ScatterNdAddOp), ScatterNdAddCases()),
        new(typeof(TopKIndicesOp), TopKCases()),
    }.ToDictionary(r => r.Op));

    private static Gen<int> Seeds => Gen.Choose(0, 1 << 30);

    private static PrimitiveCase Case(Tensor[] values, Func<Expr[], Expr> build, int seed,
        DerivativeKind kind = Smooth, double step = 1e-5, double tolerance = 1e-6) =>
        new(values.Select((_, i) => ((char)('a' + i)).ToString()).ToArray(), values, build, seed, kind, step, tolerance);

    private static PrimitiveRow Unary<TOp>(Func<Expr, Expr> f, Domain domain = Domain.Any, DerivativeKind kind = Smooth,
        Func<double, double>? reference = null) =>
        new(typeof(TOp),
            from shape in Shapes.Of(0, 3, 3, allowEmpty: true)
            from x in Values.Of(shape, domain)
            from seed in Seeds
            select Case(new[] { x }, v => f(v[0]), seed, kind),
            reference);

    // Grid domains swap sides at random, so either argument may be the larger one.
    private static PrimitiveRow Binary<TOp>(Func<Expr, Expr, Expr> f, Domain da = Domain.Any, Domain db = Domain.Any,
        DerivativeKind kind = Smooth) =>
        new(typeof(TOp),
            from shapes in Shapes.Broadcasting(2, allowEmpty: true)
            from swap in da == Domain.GridEven ? Gen.Elements(false, true) : Gen.Constant(false)
            from a in Values.Of(shapes[0], swap ? db : da)
            from b in Values.Of(shapes[1], swap ? da : db)
            from seed in Seeds
            select Case(new[] { a, b }, v => f(v[0], v[1]), seed, kind));

    // The exponent is an input or a number written in code, which takes the constant-exponent rule.
    private static Gen<PrimitiveCase> PowCases() =>
        from shapes in Shapes.Broadcasting(2)
        from a in Values.Of(shapes[0], Domain.Positive)
        from b in Values.Of(shapes[1], Domain.Any)
        from literal in Gen.Elements<double?>(null, null, -1, 0.5, 1, 2, 3)
        from seed in Seeds
        select literal is { } c
            ? Case(new[] { a }, v => Ex.Pow(v[0], c), seed)
            : Case(new[] { a, b }, v => Ex.Pow(v[0], v[1]), seed);

    // x away from the kink at 0; α of either sign and size, each its own node.
    private static Gen<PrimitiveCase> AlphaCases(Func<Expr, double, Expr> f) =>
        from shape in Shapes.Of(0, 3, 3, allowEmpty: true)
        from x in Values.Of(shape, Domain.AwayFromZero)
        from alpha in Gen.Elements(0.2, 0.01, 1.0, 1.7, -0.3)
        from seed in Seeds
        select Case(new[] { x }, v => f(v[0], alpha), seed);

    private static Gen<PrimitiveCase> ScanCases(Func<Expr, int, bool, bool, Expr> f) =>
        from shape in Shapes.Of(1, 3, 4, allowEmpty: true)
        from axis in Gen.Choose(0, shape.Rank - 1)
        from negative in Gen.Elements(false, true)
        from exclusive in Gen.Elements(false, true)
        from reverse in Gen.Elements(false, true)
        from x in Values.Of(shape)
        from seed in Seeds
        select Case(new[] { x }, v => f(v[0], negative ? axis - shape.Rank : axis, exclusive, reverse), seed);

    // The recurrence itself with free a and b, and through CumProd (which drives it from one input).
    private static Gen<PrimitiveCase> LinearScanCases() =>
        from viaCumProd in Gen.Elements(false, true)
        from shape in Shapes.Of(1, 3, 4, allowEmpty: true)
        from axis in Gen.Choose(0, shape.Rank - 1)
        from exclusive in Gen.Elements(false, true)
        from reverse in Gen.Elements(false, true)
        from a in Values.Of(shape)
        from b in Values.Of(shape)
        from seed in Seeds
        select viaCumProd
            ? Case(new[] { a }, v => Ex.CumProd(v[0], axis, exclusive, reverse), seed)
            : Case(new[] { a, b }, v => Ex.LinearScan(v[0], v[1], axis, reverse), seed);

    // Distinct values, so a small move never reorders a row.
    private static Gen<PrimitiveCase> ArgSortCases() =>
        from shape in Shapes.Of(1, 3, 4, allowEmpty: true)
        from desc in Gen.Elements(false, true)
        from x in Values.Of(shape, Domain.Distinct)
        from seed in Seeds
        select Case(new[] { x }, v => Ex.ArgSort(v[0], desc), seed, LocallyConstant);

    // Sort itself (distinct values), or a fixed permutation of each row either way round.
    private static Gen<PrimitiveCase> PermuteRowsCases() =>
        from shape in Shapes.Of(1, 3, 4, allowEmpty: true)
        from variant in Gen.Choose(0, 2)
        from desc in Gen.Elements(false, true)
        from x in Values.Of(shape, variant == 0 ? Domain.Distinct : Domain.Any)
        from keys in Values.Of(shape, Domain.Distinct)
        from seed in Seeds
        select variant == 0
            ? Case(new[] { x }, v => Ex.Sort(v[0], desc), seed)
            : Case(new[] { x }, v => Ex.PermuteRows(v[0], Ex.ArgSort(Ex.Const(keys)), inverse: variant == 2), seed);

    private static readonly Func<Expr, Expr, Expr>[] Comparisons =
        { Ex.Greater, Ex.GreaterEqual, Ex.Less, Ex.LessEqual, Ex.Equal, Ex.NotEqual };

    private static Gen<PrimitiveCase> CompareCases() =>
        from kind in Gen.Choose(0, Comparisons.Length - 1)
        from shapes in Shapes.Broadcasting(2, allowEmpty: true)
        from swap in Gen.Elements(false, true)
        from a in Values.Of(shapes[0], swap ? Domain.GridOdd : Domain.GridEven)
        from b in Values.Of(shapes[1], swap ? Domain.GridEven : Domain.GridOdd)
        from seed in Seeds
        select Case(new[] { a, b }, v => Comparisons[kind](v[0], v[1]), seed, LocallyConstant);

    // The condition is an input too, away from zero, so moving it never flips a branch.
    private static Gen<PrimitiveCase> WhereCases() =>
        from shapes in Shapes.Broadcasting(3)
        from c in Values.Of(shapes[0], Domain.AwayFromZero)
        from a in Values.Of(shapes[1])
        from b in Values.Of(shapes[2])
        from seed in Seeds
        select Case(new[] { c, a, b }, v => Ex.Where(Ex.Greater(v[0], 0.0), v[1], v[2]), seed);

    private static PrimitiveRow Reduction<TOp>(Func<Expr, int[]?, bool, Expr> f, Domain domain, bool allowEmpty = false) =>
        new(typeof(TOp),
            from shape in Shapes.Of(0, 3, 3, allowEmpty)
            from axes in Shapes.Axes(shape.Rank)
            from negative in Gen.Elements(false, true)
            from keep in Gen.Elements(false, true)
            from x in Values.Of(shape, domain)
            from seed in Seeds
            select Case(new[] { x }, v => f(v[0], negative ? axes?.Select(a => a - shape.Rank).ToArray() : axes, keep), seed));

    private static Gen<PrimitiveCase> MatMulCases() =>
        from batch in Shapes.Of(0, 2, 2)
        from batchA in Shapes.BroadcastingTo(batch)
        from batchB in Shapes.BroadcastingTo(batch)
        from m in Gen.Choose(1, 3)
        from k in Gen.Choose(0, 3)
        from n in Gen.Choose(1, 3)
        from ta in Gen.Elements(false, true)
        from tb in Gen.Elements(false, true)
        from a in Values.Of(new Shape(batchA.Concat(ta ? new[] { k, m } : new[] { m, k }).ToArray()))
        from b in Values.Of(new Shape(batchB.Concat(tb ? new[] { n, k } : new[] { k, n }).ToArray()))
        from seed in Seeds
        select Case(new[] { a, b }, v => Ex.MatMul(v[0], v[1], ta, tb), seed);

    // Small NHWC shapes at every stride (1, 2), padding (SAME, VALID) and dilation (1, 2), so finite differences stay fast.
    private static Gen<(Shape X, Shape F, int[] S, string P, int[] D)> ConvShapes() =>
        from sh in Gen.Choose(1, 2)
        from sw in Gen.Choose(1, 2)
        from dh in Gen.Choose(1, 2)
        from dw in Gen.Choose(1, 2)
        from same in Gen.Elements(false, true)
        from kh in Gen.Choose(1, 3)
        from kw in Gen.Choose(1, 3)
        from extraH in Gen.Choose(0, 3)
        from extraW in Gen.Choose(0, 3)
        from n in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 2)
        from o in Gen.Choose(1, 2)
        select (new Shape(n, (kh - 1) * dh + 1 + extraH, (kw - 1) * dw + 1 + extraW, c), new Shape(kh, kw, c, o),
            new[] { sh, sw }, same ? "SAME" : "VALID", new[] { dh, dw });

    private static Shape ConvOut(Shape x, Shape f, int[] s, string p, int[] d) =>
        Ex.Conv2D(Ex.Const(Tensor.Zeros(x, DType.Float64)), Ex.Const(Tensor.Zeros(f, DType.Float64)), s, p, d).Shape;

    // forFilters: the case is conv2d_backprop_filter(x, dy), with dy of the convolution's output shape.
    private static Gen<PrimitiveCase> ConvCases(bool forFilters) =>
        from g in ConvShapes()
        from x in Values.Of(g.X)
        from b in Values.Of(forFilters ? ConvOut(g.X, g.F, g.S, g.P, g.D) : g.F)
        from seed in Seeds
        select forFilters
            ? Case(new[] { x, b }, v => Ex.Conv2DBackpropFilter(v[0], g.F, v[1], g.S, g.P, g.D), seed)
            : Case(new[] { x, b }, v => Ex.Conv2D(v[0], v[1], g.S, g.P, g.D), seed);

    private static Gen<PrimitiveCase> ConvBackpropInputCases() =>
        from g in ConvShapes()
        from dy in Values.Of(ConvOut(g.X, g.F, g.S, g.P, g.D))
        from f in Values.Of(g.F)
        from seed in Seeds
        select Case(new[] { dy, f }, v => Ex.Conv2DBackpropInput(g.X, v[1], v[0], g.S, g.P, g.D), seed);

    private static Gen<(Shape X, int[] K, int[] S, string P)> PoolShapes() =>
        from kh in Gen.Choose(1, 3)
        from kw in Gen.Choose(1, 3)
        from sh in Gen.Choose(1, 2)
        from sw in Gen.Choose(1, 2)
        from same in Gen.Elements(false, true)
        from h in Gen.Choose(kh, kh + 3)
        from w in Gen.Choose(kw, kw + 3)
        from n in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 2)
        select (new Shape(n, h, w, c), new[] { kh, kw }, new[] { sh, sw }, same ? "SAME" : "VALID");

    // Max pooling needs distinct values, so no window has a tie that a finite difference would cross.
    private static Gen<PrimitiveCase> PoolCases(Func<Expr, int[], int[], string, Expr> build, Domain domain) =>
        from g in PoolShapes()
        from x in Values.Of(g.X, domain)
        from seed in Seeds
        select Case(new[] { x }, v => build(v[0], g.K, g.S, g.P), seed);

    // Max pooling's derivative routed by a fixed x (gather: the JVP form, scatter: the VJP form): linear in the routed
    // value; x only picks positions, and with distinct values a finite difference in x moves nothing.
    private static Gen<PrimitiveCase> MaxPoolRouteCases() =>
        from g in PoolShapes()
        from scatter in Gen.Elements(false, true)
        let p = Pooling.Parse(g.K, g.S, g.P)
        from x in Values.Of(g.X, Domain.Distinct)
        from v in Values.Of(scatter ? Ex.MaxPool2D(Ex.Const(Tensor.Zeros(g.X, DType.Float64)), g.K, g.S, g.P).Shape : g.X)
        from seed in Seeds
        select Case(new[] { x, v }, a => Ex.MaxPool2DRoute(a[0], a[1], p.Spec, p.KH, p.KW, scatter), seed);

    private static Gen<PrimitiveCase> ReshapeCases() =>
        from shape in Shapes.Of(0, 3, 3, allowEmpty: true)
        from target in Shapes.Factorization(shape.Size)
        from x in Values.Of(shape)
        from seed in Seeds
        select Case(new[] { x }, v => Ex.Reshape(v[0], new Shape(target)), seed);

    private static Gen<PrimitiveCase> TransposeCases() =>
        from shape in Shapes.Of(0, 4, 3)
        from perm in Shapes.Permutation(shape.Rank)
        from x in Values.Of(shape)
        from seed in Seeds
        select Case(new[] { x }, v => Ex.Transpose(v[0], perm), seed);

    // Built directly: Ex.BroadcastTo returns x itself when nothing is broadcast.
    private static Gen<PrimitiveCase> BroadcastToCases() =>
        from target in Shapes.Of(0, 3, 3, allowEmpty: true)
        from source in Shapes.BroadcastingTo(target)
        from x in Values.Of(source)
        from seed in Seeds
        select Case(new[] { x }, v => Primitive.Build(new BroadcastToOp(target), v[0]), seed);

    private static Gen<PrimitiveCase> SliceCases() =>
        from shape in Shapes.Of(0, 3, 4, allowEmpty: true)
        from ranges in Gen.CollectToArray(shape, d => from b in Gen.Choose(0, d) from s in Gen.Choose(0, d - b) select (b, s))
        from x in Values.Of(shape)
        from seed in Seeds
        select Case(new[] { x }, v => Ex.Slice(v[0], ranges.Select(r => r.b).ToArray(), ranges.Select(r => r.s).ToArray()), seed);

    private static Gen<PrimitiveCase> ConcatCases() =>
        from rank in Gen.Choose(1, 3)
        from dims in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from axis in Gen.Choose(0, rank - 1)
        from negative in Gen.Elements(false, true)
        from sizes in Gen.NonEmptyListOf(Gen.Choose(0, 3)).Select(l => l.Take(3).ToArray())
        from parts in Gen.CollectToArray(sizes, s => Values.Of(new Shape(dims.Select((d, i) => i == axis ? s : d).ToArray())))
        from seed in Seeds
        select Case(parts, v => Ex.Concat(v, negative ? axis - rank : axis), seed);

    private static Gen<PrimitiveCase> PadCases() =>
        from shape in Shapes.Of(0, 3, 3, allowEmpty: true)
        from before in Gen.ArrayOf(Gen.Choose(0, 2), shape.Rank)
        from after in Gen.ArrayOf(Gen.Choose(0, 2), shape.Rank)
        from x in Values.Of(shape)
        from seed in Seeds
        select Case(new[] { x }, v => Ex.Pad(v[0], before, after), seed);

    // float64 → float32 (and back) carries the derivative but rounds, so a wider step and looser tolerance;
    // to int32 it is piecewise constant, away from the integers where truncation jumps.
    private static Gen<PrimitiveCase> CastCases() =>
        from variant in Gen.Choose(0, 3)
        from shape in Shapes.Of(0, 3, 3)
        from x in Values.Of(shape, variant < 2 ? Domain.Any : Domain.NonInteger)
        from seed in Seeds
        select variant switch
        {
            0 => Case(new[] { x }, v => Ex.Cast(v[0], DType.Float32), seed, Smooth, 1e-2, 1e-4),
            1 => Case(new[] { x }, v => Ex.Cast(Ex.Cast(v[0], DType.Float32), DType.Float64), seed, Smooth, 1e-2, 1e-4),
            2 => Case(new[] { x }, v => Ex.Cast(v[0], DType.Int32), seed, LocallyConstant),
            _ => Case(new[] { x }, v => Ex.Cast(Ex.Cast(v[0], DType.Int32), DType.Float64), seed, LocallyConstant),
        };

    // Labels come from a float input through truncation, so the derivative of the whole is checked to be zero.
    private static Gen<PrimitiveCase> OneHotCases() =>
        from shape in Shapes.Of(0, 2, 3)
        from depth in Gen.Choose(1, 4)
        from dtype in Gen.Elements(DType.Float32, DType.Float64)
        from x in Values.Of(shape, Domain.NonInteger)
        from seed in Seeds
        select Case(new[] { x }, v => Ex.OneHot(Ex.Cast(v[0], DType.Int32), depth, dtype), seed, LocallyConstant);

    // Labels are any weights in [-2, 2], not only one-hot rows, so the Σy factor of the logits rule is exercised.
    private static Gen<PrimitiveCase> SoftmaxCrossEntropyCases() =>
        from shape in Shapes.Of(1, 3, 3)
        from axis in Gen.Choose(-shape.Rank, shape.Rank - 1)
        from y in Values.Of(shape)
        from z in Values.Of(shape)
        from seed in Seeds
        select Case(new[] { y, z }, v => Ex.SoftmaxCrossEntropyWithLogits(v[0], v[1], axis), seed);

    // a·sin(b) with broadcasting, its rules written by hand: the rows check the custom-rule machinery (rule
    // called with the right arguments, cotangents summed to shape, transposition of the linear JVP rule).
    private static Func<Expr[], Expr> CustomVjpProduct => Ad.CustomVjp(
        (Expr[] v) => v[0] * Ex.Sin(v[1]),
        (v, y, g) => new[] { Ex.SumTo(g * Ex.Sin(v[1]), v[0].Shape), Ex.SumTo(g * v[0] * Ex.Cos(v[1]), v[1].Shape) },
        "a_sin_b");

    private static Func<Expr[], Expr> CustomJvpProduct => Ad.CustomJvp(
        (Expr[] v) => v[0] * Ex.Sin(v[1]),
        (v, t) => t[0] * Ex.Sin(v[1]) + v[0] * Ex.Cos(v[1]) * t[1],
        "a_sin_b");

    private static Gen<PrimitiveCase> CustomCases(Func<Expr[], Expr> f, DerivativeKind kind) =>
        from shapes in Shapes.Broadcasting(2, allowEmpty: true)
        from a in Values.Of(shapes[0])
        from b in Values.Of(shapes[1])
        from seed in Seeds
        select Case(new[] { a, b }, f, seed, kind);
    // Labels in range (|x| truncated, x away from the integers and below 5 in size), so the check hands them on;
    // they carry no derivative.
    private static Gen<PrimitiveCase> LabelRangeCases() =>
        from shape in Shapes.Of(0, 2, 3)
        from x in Values.Of(shape, Domain.NonInteger)
        from seed in Seeds
        select Case(new[] { x }, v => Ex.CheckLabels(Ex.Cast(Ex.Abs(v[0]), DType.Int32), 5), seed, LocallyConstant);

    // The Keras sparse loss from logits, one composite node over its labels (in range, as above) and logits of five
    // classes: its rules are its body's, so the row checks that the node hands derivatives to the body and back.
    private static Gen<PrimitiveCase> SparseLabelLossCases() =>
        from rows in Shapes.Of(0, 2, 3)
        from y in Values.Of(rows, Domain.NonInteger)
        from z in Values.Of(new Shape([.. rows.ToArray(), 5]))
        from seed in Seeds
        select Case(new[] { y, z }, v => Losses.SparseCategoricalCrossentropy(Ex.Cast(Ex.Abs(v[0]), DType.Int32), v[1], fromLogits: true), seed);

    // Distinct values, so a small step never changes which element wins: the derivative is checked to be zero.
    private static Gen<PrimitiveCase> ArgMaxCases() =>
        from shape in Shapes.Of(1, 3, 3)
        from axis in Gen.Choose(-shape.Rank, shape.Rank - 1)
        from smallest in Gen.Elements(false, true)
        from x in Values.Of(shape, Domain.Distinct)
        from seed in Seeds
        select Case(new[] { x }, v => smallest ? Ex.ArgMin(v[0], axis) : Ex.ArgMax(v[0], axis), seed, LocallyConstant);

    // Index tuples of every length 1..rank, repeats included (so the VJP's scatter must add, not overwrite).
    private static Gen<int[]> Tuples(Shape x, int q, int count) =>
        Gen.CollectToArray(Enumerable.Range(0, count * q), k => Gen.Choose(0, x[k % q] - 1));

    private static Gen<PrimitiveCase> GatherNdCases() =>
        from shape in Shapes.Of(1, 3, 3).Where(s => s.Size > 0)
        from q in Gen.Choose(1, shape.Rank)
        from count in Gen.Choose(0, 4)
        from idx in Tuples(shape, q, count)
        from x in Values.Of(shape)
        from seed in Seeds
        select Case(new[] { x }, v => Ex.GatherNd(v[0], Ex.Const(Tensor.From(idx, new Shape(count, q)))), seed);

    private static Gen<PrimitiveCase> ScatterNdAddCases() =>
        from shape in Shapes.Of(1, 3, 3).Where(s => s.Size > 0)
        from q in Gen.Choose(1, shape.Rank)
        from count in Gen.Choose(0, 4)
        from idx in Tuples(shape, q, count)
        from x in Values.Of(shape)
        from u in Values.Of(new Shape(shape.Skip(q).Prepend(count).ToArray()))
        from seed in Seeds
        select Case(new[] { x, u }, v => Ex.ScatterNdAdd(v[0], Ex.Const(Tensor.From(idx, new Shape(count, q))), v[1]), seed);

    // Distinct values, so a small step never reorders a row: the positions' derivative is checked to be zero.
    private static Gen<PrimitiveCase> TopKCases() =>
        from shape in Shapes.Of(1, 3, 4)
        from k in Gen.Choose(0, shape[shape.Rank - 1])
        from x in Values.Of(shape, Domain.Distinct)
        from seed in Seeds
        select Case(new[] { x }, v => Ex.TopK(v[0], k).Indices, seed, LocallyConstant);
}
