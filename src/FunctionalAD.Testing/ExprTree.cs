using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;

namespace FunctionalAD.Testing;

/// <summary>One-argument building blocks of random expressions (see <see cref="ExprTree"/>).</summary>
public enum UnaryKind
{
    /// <summary>-x.</summary>
    Negate,
    /// <summary>exp(x).</summary>
    Exp,
    /// <summary>log(1 + x²), guarded away from 0.</summary>
    Log,
    /// <summary>sqrt(1 + x²), guarded away from 0.</summary>
    Sqrt,
    /// <summary>|x| (a kink at 0).</summary>
    Abs,
    /// <summary>sin(x).</summary>
    Sin,
    /// <summary>cos(x).</summary>
    Cos,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>sigmoid(x).</summary>
    Sigmoid,
    /// <summary>relu(x) (a kink at 0).</summary>
    Relu,
    /// <summary>softplus(x).</summary>
    Softplus,
    /// <summary>x².</summary>
    Square,
    /// <summary>sign(x) (locally constant).</summary>
    Sign,
    /// <summary>softmax over the last axis.</summary>
    Softmax,
    /// <summary>log-softmax over the last axis.</summary>
    LogSoftmax,
    /// <summary>the transpose of a matrix (else x).</summary>
    Transpose,
    /// <summary>x as a vector (a column for a vector).</summary>
    Flatten,
    /// <summary>x without the first row of its last axis of length ≥ 2.</summary>
    Slice,
    /// <summary>x with a zero in front of its last axis.</summary>
    Pad,
    /// <summary>erf(x).</summary>
    Erf,
    /// <summary>log1p(x²), guarded away from -1.</summary>
    Log1p,
    /// <summary>log σ(x).</summary>
    LogSigmoid,
    /// <summary>x / (1 + |x|).</summary>
    Softsign,
    /// <summary>elu(x) with α = 0.7 (a kink in the second derivative at 0).</summary>
    Elu,
    /// <summary>leaky_relu(x) with α = 0.2 (a kink at 0).</summary>
    LeakyRelu,
    /// <summary>exact GELU.</summary>
    Gelu,
    /// <summary>the cumulative sum along the last axis, reversed for even ranks.</summary>
    CumSum,
    /// <summary>the exclusive cumulative product along the first axis.</summary>
    CumProd,
    /// <summary>layer normalization over the last axis.</summary>
    LayerNorm,
}

/// <summary>Two-argument building blocks of random expressions.</summary>
public enum BinaryKind
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a - b.</summary>
    Subtract,
    /// <summary>a * b.</summary>
    Multiply,
    /// <summary>a / (1 + b²), guarded away from 0.</summary>
    Divide,
    /// <summary>(1 + a²) ^ b.</summary>
    Pow,
    /// <summary>max(a, b) element-wise (a kink at ties).</summary>
    Maximum,
    /// <summary>min(a, b) element-wise (a kink at ties).</summary>
    Minimum,
    /// <summary>where(a > b, a, b) (a kink at ties).</summary>
    WhereGreater,
    /// <summary>a @ b, operands viewed as matrices that fit.</summary>
    MatMul,
    /// <summary>aᵀ @ b.</summary>
    MatMulTransposeA,
    /// <summary>a @ bᵀ.</summary>
    MatMulTransposeB,
    /// <summary>a and b joined along the first axis (flattened when they do not fit).</summary>
    Concat,
}

/// <summary>Reductions in random expressions.</summary>
public enum ReductionKind
{
    /// <summary>sum.</summary>
    Sum,
    /// <summary>mean.</summary>
    Mean,
    /// <summary>max (a kink at ties).</summary>
    Max,
    /// <summary>min (a kink at ties).</summary>
    Min,
    /// <summary>log Σ exp.</summary>
    LogSumExp,
    /// <summary>Euclidean norm.</summary>
    Norm,
}

/// <summary>
/// A small description of an expression that shrinks like any tree (a node gives way to its children) and
/// compiles to a well-typed <see cref="Expr"/> whatever the variables' shapes: where shapes would not fit,
/// compilation adapts them (sums an operand that does not broadcast, reshapes a matmul operand), so every
/// subtree of a valid tree is valid too.
/// </summary>
public abstract record Node
{
    /// <summary>Number of nodes.</summary>
    public abstract int Size { get; }
}

/// <summary>Variable number <c>Index</c> (modulo the number of variables).</summary>
public sealed record Leaf(int Index) : Node
{
    /// <inheritdoc/>
    public override int Size => 1;
}

/// <summary>A number written in code.</summary>
public sealed record Number(double Value) : Node
{
    /// <inheritdoc/>
    public override int Size => 1;
}

/// <summary>A unary block applied to a subtree.</summary>
public sealed record UnaryNode(UnaryKind Op, Node X) : Node
{
    /// <inheritdoc/>
    public override int Size => 1 + X.Size;
}

/// <summary>A binary block applied to two subtrees.</summary>
public sealed record BinaryNode(BinaryKind Op, Node A, Node B) : Node
{
    /// <inheritdoc/>
    public override int Size => 1 + A.Size + B.Size;
}

/// <summary>A reduction over one axis (Axis modulo the rank), or over all axes when Axis is negative.</summary>
public sealed record ReductionNode(ReductionKind Op, int Axis, bool KeepDims, Node X) : Node
{
    /// <inheritdoc/>
    public override int Size => 1 + X.Size;
}

/// <summary>Generation, shrinking and compilation of <see cref="Node"/> trees.</summary>
public static class ExprTree
{
    private static readonly double[] Numbers = { 0, 1, -1, 0.5, 2, -1.5 };

    /// <summary>Trees of depth at most <paramref name="depth"/>, optionally leaving out locally constant and kinked blocks.</summary>
    public static Gen<Node> Of(int depth, int vars, bool smoothOnly = false)
    {
        var leaf = Gen.Frequency(
            (6, Gen.Choose(0, vars - 1).Select(i => (Node)new Leaf(i))),
            (1, Gen.Elements(Numbers).Select(v => (Node)new Number(v))));
        if (depth == 0) return leaf;
        var sub = Of(depth - 1, vars, smoothOnly);
        var unaries = Enum.GetValues<UnaryKind>().Where(k => !smoothOnly || k is not (UnaryKind.Abs or UnaryKind.Relu or UnaryKind.Sign or UnaryKind.Elu or UnaryKind.LeakyRelu)).ToArray();
        var binaries = Enum.GetValues<BinaryKind>().Where(k => !smoothOnly || k is not (BinaryKind.Maximum or BinaryKind.Minimum or BinaryKind.WhereGreater)).ToArray();
        var reductions = Enum.GetValues<ReductionKind>().Where(k => !smoothOnly || k is not (ReductionKind.Max or ReductionKind.Min)).ToArray();
        return Gen.Frequency(
            (2, leaf),
            (3, from op in Gen.Elements(unaries) from x in sub select (Node)new UnaryNode(op, x)),
            (3, from op in Gen.Elements(binaries) from a in sub from b in sub select (Node)new BinaryNode(op, a, b)),
            (2, from op in Gen.Elements(reductions) from axis in Gen.Choose(-1, 2) from keep in Gen.Elements(false, true)
                from x in sub select (Node)new ReductionNode(op, axis, keep, x)));
    }

    /// <summary>Smaller trees: each node's children first (the biggest cut), then simpler parameters, then shrunk children.</summary>
    public static IEnumerable<Node> Shrink(Node n)
    {
        switch (n)
        {
            case Leaf { Index: > 0 }:
                yield return new Leaf(0);
                break;
            case Number:
                yield return new Leaf(0);
                break;
            case UnaryNode u:
                yield return u.X;
                foreach (var s in Shrink(u.X)) yield return u with { X = s };
                break;
            case BinaryNode b:
                yield return b.A;
                yield return b.B;
                foreach (var s in Shrink(b.A)) yield return b with { A = s };
                foreach (var s in Shrink(b.B)) yield return b with { B = s };
                break;
            case ReductionNode r:
                yield return r.X;
                if (r.KeepDims) yield return r with { KeepDims = false };
                if (r.Axis >= 0) yield return r with { Axis = -1 };
                foreach (var s in Shrink(r.X)) yield return r with { X = s };
                break;
        }
    }

    /// <summary>The expression the tree describes over <paramref name="vars"/>; never throws for a float64 variable set.</summary>
    public static Expr Compile(Node n, IReadOnlyList<Expr> vars) => n switch
    {
        Leaf l => vars[l.Index % vars.Count],
        Number c => c.Value,
        UnaryNode u => Apply(u.Op, Compile(u.X, vars)),
        BinaryNode b => Apply(b.Op, Compile(b.A, vars), Compile(b.B, vars)),
        ReductionNode r => Apply(r, Compile(r.X, vars)),
        _ => throw new ArgumentOutOfRangeException(nameof(n)),
    };

    // Domain guards (1 + x², 1 + b²) keep log, sqrt, division and pow's base away from their singularities.
    private static Expr Apply(UnaryKind op, Expr x) => op switch
    {
        UnaryKind.Negate => -x,
        UnaryKind.Exp => Ex.Exp(x),
        UnaryKind.Log => Ex.Log(1.0 + x * x),
        UnaryKind.Sqrt => Ex.Sqrt(1.0 + x * x),
        UnaryKind.Abs => Ex.Abs(x),
        UnaryKind.Sin => Ex.Sin(x),
        UnaryKind.Cos => Ex.Cos(x),
        UnaryKind.Tanh => Ex.Tanh(x),
        UnaryKind.Sigmoid => Ex.Sigmoid(x),
        UnaryKind.Relu => Ex.Relu(x),
        UnaryKind.Softplus => Ex.Softplus(x),
        UnaryKind.Square => Ex.Square(x),
        UnaryKind.Sign => Ex.Sign(x),
        UnaryKind.Softmax => Ex.Softmax(AtLeast1D(x)),
        UnaryKind.LogSoftmax => Ex.LogSoftmax(AtLeast1D(x)),
        UnaryKind.Transpose => x.Rank >= 2 ? Ex.Transpose(x) : x,
        UnaryKind.Flatten => x.Rank == 1 ? Ex.Reshape(x, x.Shape[0], 1) : Ex.Reshape(x, -1),
        UnaryKind.Slice => SliceOne(x),
        UnaryKind.Pad => x.Rank == 0 ? x : Ex.Pad(x, Last(x.Rank, 1), new int[x.Rank]),
        UnaryKind.Erf => Ex.Erf(x),
        UnaryKind.Log1p => Ex.Log1p(x * x),
        UnaryKind.LogSigmoid => Ex.LogSigmoid(x),
        UnaryKind.Softsign => Ex.Softsign(x),
        UnaryKind.Elu => Ex.Elu(x, 0.7),
        UnaryKind.LeakyRelu => Ex.LeakyRelu(x),
        UnaryKind.Gelu => Ex.Gelu(x),
        UnaryKind.CumSum => Ex.CumSum(AtLeast1D(x), -1, reverse: x.Rank % 2 == 0),
        UnaryKind.CumProd => Ex.CumProd(AtLeast1D(x), 0, exclusive: true),
        UnaryKind.LayerNorm => Ex.LayerNormalization(AtLeast1D(x)),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static Expr Apply(BinaryKind op, Expr a, Expr b)
    {
        switch (op)
        {
            case BinaryKind.MatMul: return MatMul(a, b, false, false);
            case BinaryKind.MatMulTransposeA: return MatMul(a, b, true, false);
            case BinaryKind.MatMulTransposeB: return MatMul(a, b, false, true);
            case BinaryKind.Concat: return Concat(a, b);
        }
        if (Shape.TryBroadcast(a.Shape, b.Shape) is null) b = Ex.Sum(b);
        return op switch
        {
            BinaryKind.Add => a + b,
            BinaryKind.Subtract => a - b,
            BinaryKind.Multiply => a * b,
            BinaryKind.Divide => a / (1.0 + b * b),
            BinaryKind.Pow => Ex.Pow(1.0 + a * a, b),
            BinaryKind.Maximum => Ex.Maximum(a, b),
            BinaryKind.Minimum => Ex.Minimum(a, b),
            BinaryKind.WhereGreater => Ex.Where(Ex.Greater(a, b), a, b),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }

    private static Expr Apply(ReductionNode r, Expr x)
    {
        int[]? axes = r.Axis < 0 || x.Rank == 0 ? null : new[] { r.Axis % x.Rank };
        return r.Op switch
        {
            ReductionKind.Sum => Ex.Sum(x, axes, r.KeepDims),
            ReductionKind.Mean => Ex.Mean(x, axes, r.KeepDims),
            ReductionKind.Max => Ex.Max(x, axes, r.KeepDims),
            ReductionKind.Min => Ex.Min(x, axes, r.KeepDims),
            ReductionKind.LogSumExp => Ex.LogSumExp(x, axes, r.KeepDims),
            ReductionKind.Norm => Ex.Norm(x, axes, r.KeepDims),
            _ => throw new ArgumentOutOfRangeException(nameof(r)),
        };
    }

    private static Expr AtLeast1D(Expr x) => x.Rank == 0 ? Ex.Reshape(x, 1) : x;

    private static int[] Last(int rank, int value)
    {
        var a = new int[rank];
        a[^1] = value;
        return a;
    }

    private static Expr SliceOne(Expr x)
    {
        int axis = Enumerable.Range(0, x.Rank).LastOrDefault(i => x.Shape[i] >= 2, -1);
        if (axis < 0) return x;
        var begin = new int[x.Rank];
        begin[axis] = 1;
        return Ex.Slice(x, begin, Enumerable.Repeat(-1, x.Rank).ToArray());
    }

    // A matrix view of each operand; when the inner dimensions still differ, b is reshaped or summed to fit.
    private static Expr MatMul(Expr a, Expr b, bool ta, bool tb)
    {
        a = AsMatrix(a);
        b = AsMatrix(b);
        int k = ta ? a.Shape[0] : a.Shape[1];
        int bk = tb ? b.Shape[1] : b.Shape[0];
        if (bk != k)
        {
            if (b.Shape.Size % k == 0) b = tb ? Ex.Reshape(b, -1, k) : Ex.Reshape(b, k, -1);
            else b = Ex.BroadcastTo(Ex.Reshape(Ex.Sum(b), 1, 1), tb ? new Shape(1, k) : new Shape(k, 1));
        }
        return Ex.MatMul(a, b, ta, tb);
    }

    private static Expr AsMatrix(Expr x) => x.Rank switch
    {
        0 => Ex.Reshape(x, 1, 1),
        1 => Ex.Reshape(x, 1, x.Shape[0]),
        2 => x,
        _ => Ex.Reshape(x, -1, x.Shape[-1]),
    };

    private static Expr Concat(Expr a, Expr b)
    {
        bool fits = a.Rank >= 1 && a.Rank == b.Rank && Enumerable.Range(1, a.Rank - 1).All(i => a.Shape[i] == b.Shape[i]);
        return fits ? Ex.Concat(new[] { a, b }, 0) : Ex.Concat(new[] { Ex.Reshape(a, -1), Ex.Reshape(b, -1) }, 0);
    }
}
