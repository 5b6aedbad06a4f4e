using System.Numerics;

namespace FunctionalAD;

/// <summary>
/// The first-order linear recurrence rₖ = aₖ·rₖ₋₁ + bₖ along one axis, r₋₁ = 0 (running from the end with
/// <see cref="Reverse"/>): the primitive beneath <see cref="Ex.CumProd"/>. Its derivatives are linear scans again and
/// divide nowhere, so they are exact where a holds zeros:
/// VJP: s = scan(shift⁻(a), g) run the other way (sₖ = aₖ₊₁·sₖ₊₁ + gₖ); ḡ_b = s, ḡ_a = s·shift(r).
/// JVP: dr = scan(a, da·shift(r) + db). shift(r)ₖ = rₖ₋₁ with a 0 entering first.
/// </summary>
public sealed class LinearScanOp(int axis, bool reverse) : Primitive
{
    /// <summary>The axis scanned along, normalised to be non-negative.</summary>
    public int Axis { get; } = axis;
    /// <summary>True when the recurrence runs from the last element to the first.</summary>
    public bool Reverse { get; } = reverse;
    /// <inheritdoc/>
    public override string Name => "linear_scan";
    internal override string Key => $"linear_scan[{Axis},{Reverse}]";
    internal override string Format(string[] a) => $"linear_scan({a[0]}, {a[1]}, axis={Axis}{(Reverse ? ", reverse" : "")})";

    /// <summary>
    /// A Scan whose body is r = a·r_prev + b, started at the first b (r₀ = b₀, exactly as the kernel, not a₀·0 + b₀) and
    /// run over the remaining elements in the scan's direction; the first element is concatenated back on.
    /// </summary>
    internal override string Export(IOnnxBuilder b, Apply node, string[] a)
    {
        int n = node.Shape[Axis];
        if (node.Shape.Size == 0 || n == 1) return b.Node("Identity", [a[1]]);
        var axis = b.Int64s(Axis);
        string Part(string x, int from, int to) => b.Node("Slice", [x, b.Int64s(from), b.Int64s(to), axis]);
        var (startAt, restFrom, restTo) = Reverse ? (n - 1, 0, n - 1) : (0, 1, n);
        var start = Part(a[1], startAt, startAt + 1);
        var state = new Shape(node.Shape.Where((_, i) => i != Axis).ToArray());
        var dt = node.DType;
        var body = new OnnxSubgraph([(dt, state), (dt, state), (dt, state)], [(dt, state), (dt, state)], (s, v) =>
        {
            var r = s.Node("Add", [s.Node("Mul", [v[1], v[0]]), v[2]]);
            return [r, r];
        });
        int dir = Reverse ? 1 : 0;
        var scanned = b.Node("Scan", [b.Node("Reshape", [start, b.Int64s(state.ToArray().Select(d => (long)d).ToArray())]),
                Part(a[0], restFrom, restTo), Part(a[1], restFrom, restTo)], 2,
            OnnxAttribute.Graph("body", body), OnnxAttribute.Int("num_scan_inputs", 2),
            OnnxAttribute.Ints("scan_input_axes", [Axis, Axis]), OnnxAttribute.Ints("scan_input_directions", [dir, dir]),
            OnnxAttribute.Ints("scan_output_axes", [Axis]), OnnxAttribute.Ints("scan_output_directions", [dir]))[1];
        return b.Node("Concat", Reverse ? [scanned, start] : [start, scanned], OnnxAttribute.Int("axis", Axis));
    }

    internal override (Shape Shape, DType DType) Infer(Expr[] args)
    {
        var dt = SameFloat(args);
        if (args[0].Shape != args[1].Shape)
            throw new ShapeException($"linear_scan: the coefficients a {args[0].Shape} and the inputs b {args[1].Shape} must have one shape");
        return (args[0].Shape, dt);
    }

    internal override void Kernel<T>(Tensor[] args, Tensor result)
    {
        var (outer, n, inner) = Scan.Split(args[0].Shape, Axis);
        Scan.Linear<T>(args[0].Span<T>(), args[1].Span<T>(), result.Span<T>(), outer, n, inner, Reverse);
    }

    internal override Step? CompileStep(Apply node, Loc[] args, Loc result)
    {
        var (outer, n, inner) = Scan.Split(node.Arg(0).Shape, Axis);
        return node.DType == DType.Float32
            ? new LinearScanStep<float>(args[0], args[1], result, outer, n, inner, Reverse)
            : new LinearScanStep<double>(args[0], args[1], result, outer, n, inner, Reverse);
    }

    // r = 0 wherever b is all zeros (what a derivative with no incoming tangent looks like).
    internal override Expr? Simplify(Expr[] a) => Ex.IsZero(a[1]) ? Ex.ZerosLike(a[1]) : null;

    internal override Expr Vjp(Apply y, int arg, Expr g)
    {
        var s = Ex.LinearScan(ShiftIn(y.Arg(0), Axis, !Reverse), g, Axis, !Reverse);
        return arg == 1 ? s : s * ShiftIn(y, Axis, Reverse);
    }

    internal override Expr Jvp(Apply y, Expr?[] t)
    {
        Expr? drive = t[1];
        if (t[0] is { } da)
        {
            var term = da * ShiftIn(y, Axis, Reverse);
            drive = drive is null ? term : drive + term;
        }
        return Ex.LinearScan(y.Arg(0), drive!, Axis, Reverse);
    }

    /// <summary>x moved one place along the scan's direction, a zero entering at its start: sₖ = xₖ₋₁ (xₖ₊₁ when reversed), s₀ = 0.</summary>
    internal static Expr ShiftIn(Expr x, int axis, bool reverse)
    {
        int n = x.Shape[axis];
        if (n == 0) return x;
        // A row of one has nothing to move in: zeros, without an empty slice in the graph.
        if (n == 1) return Ex.ZerosLike(x);
        var begin = new int[x.Rank];
        var size = x.Shape.ToArray();
        size[axis] = n - 1;
        if (reverse) begin[axis] = 1;
        var before = new int[x.Rank];
        var after = new int[x.Rank];
        (reverse ? after : before)[axis] = 1;
        return Ex.Pad(Ex.Slice(x, begin, size), before, after);
    }
}

/// <summary>The compiled step of <see cref="LinearScanOp"/>: the interpreter's kernel over workspace spans.</summary>
internal sealed class LinearScanStep<T>(Loc a, Loc b, Loc r, int outer, int n, int inner, bool reverse) : Step
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run(Workspace ws) => Scan.Linear<T>(ws.Span<T>(a), ws.Span<T>(b), ws.Span<T>(r), outer, n, inner, reverse);
    public override string Describe() => $"linear_scan ({outer}, {n}, {inner}){(reverse ? " reverse" : "")} {a}, {b} -> {r}";
}

public static partial class Ex
{
    /// <summary>
    /// rₖ = aₖ·rₖ₋₁ + bₖ along <paramref name="axis"/> with r₋₁ = 0 (from the end when <paramref name="reverse"/>); a and
    /// b have one shape. The first-order linear recurrence (an exponential moving average is a = 1 - α, b = α·x).
    /// </summary>
    public static Expr LinearScan(Expr a, Expr b, int axis = 0, bool reverse = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank == 0) throw new AxisException($"linear_scan: a must have at least one axis, got a scalar\n  in: linear_scan({a}, {b})");
        (a, b) = Coerce(a, b);
        return Primitive.Build(new LinearScanOp(Axes(new[] { axis }, a, "linear_scan")[0], reverse), a, b);
    }

    /// <summary>
    /// Cumulative product along <paramref name="axis"/>, as <c>tf.math.cumprod(x, axis, exclusive, reverse)</c>:
    /// yₖ = Π_{j ≤ k} xⱼ; with <paramref name="exclusive"/>, Π_{j &lt; k} xⱼ (y₀ = 1); with <paramref name="reverse"/>,
    /// from the end. A <see cref="LinearScan"/> (rₖ = xₖ·rₖ₋₁ started at x₀), so its gradient divides nowhere and is
    /// exact where x holds zeros, unlike the g·cumsum(y)/x formula.
    /// </summary>
    public static Expr CumProd(Expr x, int axis = 0, bool exclusive = false, bool reverse = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0) throw new AxisException($"cumprod: x must have at least one axis, got a scalar\n  in: cumprod({x})");
        int ax = Axes(new[] { axis }, x, "cumprod")[0];
        int n = x.Shape[ax];
        if (n == 0) return LinearScan(x, x, ax, reverse);
        // b is zero but for the scan's first element: x there (inclusive) or 1 (exclusive, a shifted by one).
        var firstShape = x.Shape.ToArray();
        firstShape[ax] = 1;
        var begin = new int[x.Rank];
        if (reverse) begin[ax] = n - 1;
        var before = new int[x.Rank];
        var after = new int[x.Rank];
        if (reverse) before[ax] = n - 1; else after[ax] = n - 1;
        var first = exclusive ? Ones(new Shape(firstShape), x.DType) : Slice(x, begin, firstShape);
        var a = exclusive ? LinearScanOp.ShiftIn(x, ax, reverse) : x;
        return LinearScan(a, Pad(first, before, after), ax, reverse);
    }
}
