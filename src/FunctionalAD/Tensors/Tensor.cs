using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FunctionalAD;

/// <summary>
/// An immutable dense row-major tensor of float32, float64 or int32 elements.
/// Every factory copies its input, and no public member hands out the storage, so a tensor never changes.
/// </summary>
public sealed partial class Tensor
{
    // Storage is float[], double[] or int[] matching DType. Kernels write into it only while a plan
    // fills a freshly allocated tensor, before anyone else can see it.
    internal readonly Array Data;

    // Non-null when Data came from the ResultPool: shared by every tensor over Data, it returns the array to the pool
    // once all of them are unreachable. So whoever reads Data (or a span of it) keeps a tensor holding it reachable
    // until the read ends (GC.KeepAlive), or calls Lease.Escape() if it keeps the array beyond its tensors.
    internal readonly StorageLease? Lease;

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>Number of elements.</summary>
    public int Size => Shape.Size;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    internal Tensor(Array data, Shape shape) : this(data, shape, null) { }

    private Tensor(Array data, Shape shape, StorageLease? lease)
    {
        Data = data;
        Lease = lease;
        Shape = shape;
        DType = data switch
        {
            float[] => DType.Float32,
            double[] => DType.Float64,
            int[] => DType.Int32,
            _ => throw new FunctionalADException($"unsupported storage {data.GetType().Name}"),
        };
        if (data.Length != shape.Size)
            throw new ShapeException($"Tensor: {data.Length} values do not fill shape {shape} ({shape.Size} elements)");
    }

    /// <summary>A tensor whose elements are whatever its storage held: fresh, or recycled by the <see cref="ResultPool"/>.</summary>
    internal static Tensor Uninitialized(Shape shape, DType dtype)
    {
        try
        {
            var (data, lease) = ResultPool.Rent(dtype, shape.Size);
            return new(data, shape, lease);
        }
        catch (OutOfMemoryException)
        {
            long bytes = (long)shape.Size * (dtype == DType.Float64 ? 8 : 4);
            throw new FunctionalADException($"Tensor: not enough memory for a {dtype.Name()} tensor of shape {shape} ({bytes:N0} bytes)");
        }
    }

    /// <summary>
    /// Storage that backs a constant of some expression. A compiled function's <c>Run</c> refuses to write into it,
    /// so the only API that writes into caller-given tensors cannot change a constant behind its expressions.
    /// Keyed by the storage, not the tensor, because <see cref="Reshape"/> shares storage.
    /// </summary>
    private static readonly ConditionalWeakTable<Array, object> Frozen = new();

    // Set once this tensor's storage is known frozen: a variable read each step makes a constant of the same
    // tensor each time, and the table (keyed by storage, which reshapes share) is the slow part of making one.
    private volatile bool _frozen;

    internal static void Freeze(Tensor t)
    {
        if (t._frozen) return;
        Frozen.TryAdd(t.Data, Frozen);
        t._frozen = true;
        Interlocked.Increment(ref _freezes);
    }

    private static int _freezes;

    /// <summary>How many tensors have been frozen so far: storage found not frozen stays so while this is unchanged.</summary>
    internal static int Freezes => Volatile.Read(ref _freezes);

    /// <summary>True when this tensor's storage backs a constant (<see cref="Ex.Const(Tensor)"/>) of some expression.</summary>
    internal bool IsFrozen => _frozen || Frozen.TryGetValue(Data, out _);

    /// <summary>The storage, for a holder that keeps it beyond this tensor (a compiled plan's constant): never recycled.</summary>
    internal Array KeptData()
    {
        Lease?.Escape();
        return Data;
    }

    // The caller keeps this tensor reachable while it uses the span or array (see Lease).
    internal Span<T> Span<T>() => ((T[])Data).AsSpan();
    internal T[] Array<T>() => (T[])Data;

    /// <summary>
    /// Forgets that <paramref name="data"/> backed a constant: called when the last tensor over pooled storage has died,
    /// so every constant over it has too, before the storage goes back to the <see cref="ResultPool"/>.
    /// </summary>
    internal static void Thaw(Array data) => Frozen.Remove(data);

    // ---- construction ----

    /// <summary>A float32 tensor from flat values and a shape (a vector when no shape is given).</summary>
    public static Tensor From(float[] values, Shape? shape = null) => new((float[])NotNull(values, nameof(values)).Clone(), shape ?? new Shape(values.Length));
    /// <summary>A float64 tensor from flat values and a shape (a vector when no shape is given).</summary>
    public static Tensor From(double[] values, Shape? shape = null) => new((double[])NotNull(values, nameof(values)).Clone(), shape ?? new Shape(values.Length));
    /// <summary>An int32 tensor from flat values and a shape (a vector when no shape is given).</summary>
    public static Tensor From(int[] values, Shape? shape = null) => new((int[])NotNull(values, nameof(values)).Clone(), shape ?? new Shape(values.Length));

    private static T NotNull<T>(T? value, string name) where T : class => value ?? throw new ArgumentNullException(name);

    /// <summary>A tensor from a multidimensional array such as <c>float[,]</c> or <c>double[,,]</c>; its shape is the array's.</summary>
    public static Tensor From(Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var dims = new int[values.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = values.GetLength(i);
        var shape = new Shape(dims);
        return values switch
        {
            float[] f => From(f),
            double[] d => From(d),
            int[] n => From(n),
            _ when values.GetType().GetElementType() == typeof(float) => new(Flatten<float>(values), shape),
            _ when values.GetType().GetElementType() == typeof(double) => new(Flatten<double>(values), shape),
            _ when values.GetType().GetElementType() == typeof(int) => new(Flatten<int>(values), shape),
            _ => throw new DTypeException($"Tensor.From: element type {values.GetType().GetElementType()?.Name} is not float, double or int"),
        };
    }

    private static T[] Flatten<T>(Array values)
    {
        var flat = new T[values.Length];
        int i = 0;
        foreach (T v in values) flat[i++] = v;
        return flat;
    }

    /// <summary>A float32 scalar.</summary>
    public static Tensor Scalar(float value) => new(new[] { value }, Shape.Scalar);
    /// <summary>A float64 scalar.</summary>
    public static Tensor Scalar(double value) => new(new[] { value }, Shape.Scalar);
    /// <summary>An int32 scalar.</summary>
    public static Tensor Scalar(int value) => new(new[] { value }, Shape.Scalar);

    /// <summary>A tensor of <paramref name="shape"/> with every element <paramref name="value"/>.</summary>
    public static Tensor Full(Shape shape, double value, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        dtype.Checked("Tensor.Full");
        var t = Uninitialized(shape, dtype);
        switch (dtype)
        {
            case DType.Float32: t.Span<float>().Fill((float)value); break;
            case DType.Float64: t.Span<double>().Fill(value); break;
            default: t.Span<int>().Fill(DTypes.ToInt32(value)); break;
        }
        return t;
    }

    /// <summary>Zeros of the given shape and type.</summary>
    public static Tensor Zeros(Shape shape, DType dtype = DType.Float32) => Full(shape, 0, dtype);
    /// <summary>Float32 zeros of the given dimensions.</summary>
    public static Tensor Zeros(params int[] dims) => Full(new Shape(dims), 0);
    /// <summary>Ones of the given shape and type.</summary>
    public static Tensor Ones(Shape shape, DType dtype = DType.Float32) => Full(shape, 1, dtype);
    /// <summary>Float32 ones of the given dimensions.</summary>
    public static Tensor Ones(params int[] dims) => Full(new Shape(dims), 1);

    /// <summary>
    /// Samples of N(<paramref name="mean"/>, <paramref name="stddev"/>²). The same seed gives the same numbers on
    /// every machine: the generator is SplitMix64 with the Box-Muller transform, computed in float64.
    /// </summary>
    public static Tensor RandomNormal(Shape shape, double mean = 0, double stddev = 1, long seed = 0, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        RequireFloat(dtype, nameof(RandomNormal));
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "Tensor.RandomNormal: the mean must be finite");
        if (!(stddev >= 0) || !double.IsFinite(stddev))
            throw new ArgumentOutOfRangeException(nameof(stddev), stddev, "Tensor.RandomNormal: the standard deviation must be finite and not negative");
        var rng = new SplitMix64(unchecked((ulong)seed));
        var v = new double[shape.Size];
        for (int i = 0; i < v.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            v[i] = mean + stddev * r * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < v.Length) v[i + 1] = mean + stddev * r * Math.Sin(2 * Math.PI * u2);
        }
        return FromDoubles(v, shape, dtype);
    }

    /// <summary>Uniform samples in [<paramref name="min"/>, <paramref name="max"/>), reproducible from the seed on every machine.</summary>
    public static Tensor RandomUniform(Shape shape, double min = 0, double max = 1, long seed = 0, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        RequireFloat(dtype, nameof(RandomUniform));
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(min <= max))
            throw new ArgumentOutOfRangeException(nameof(max), $"Tensor.RandomUniform: needs finite bounds with min <= max, got [{min}, {max})");
        var rng = new SplitMix64(unchecked((ulong)seed));
        var v = new double[shape.Size];
        for (int i = 0; i < v.Length; i++) v[i] = min + (max - min) * rng.NextDouble();
        return FromDoubles(v, shape, dtype);
    }

    private static void RequireFloat(DType dtype, string op)
    {
        if (!dtype.Checked($"Tensor.{op}").IsFloat()) throw new DTypeException($"Tensor.{op}: dtype must be float32 or float64, not {dtype.Name()}");
    }

    internal static Tensor FromDoubles(double[] v, Shape shape, DType dtype) => dtype switch
    {
        DType.Float64 => new Tensor(v, shape),
        DType.Float32 => new Tensor(System.Array.ConvertAll(v, x => (float)x), shape),
        _ => new Tensor(System.Array.ConvertAll(v, DTypes.ToInt32), shape),
    };

    // ---- reading ----

    /// <summary>
    /// A flat row-major copy of the elements as <typeparamref name="T"/> (float, double, int or another number type),
    /// converting if needed; to int, by the float-to-int policy of <see cref="Cast"/>, to other types saturating.
    /// </summary>
    public T[] ToArray<T>() where T : unmanaged, INumber<T>
    {
        if (Data is T[] same)
        {
            var copy = (T[])same.Clone();
            GC.KeepAlive(this);
            return copy;
        }
        var r = new T[Size];
        for (int i = 0; i < r.Length; i++) r[i] = typeof(T) == typeof(int) ? T.CreateTruncating(DTypes.ToInt32(At(i))) : T.CreateSaturating(At(i));
        return r;
    }

    /// <summary>A flat row-major float32 copy of the elements.</summary>
    public float[] ToFloatArray() => ToArray<float>();
    /// <summary>A flat row-major float64 copy of the elements.</summary>
    public double[] ToDoubleArray() => ToArray<double>();

    /// <summary>The element at a multi-index, as a double (negative indices count from the end).</summary>
    public double this[params int[] index]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(index);
            if (index.Length != Rank)
                throw new ShapeException($"Tensor index: {index.Length} indices for a tensor of shape {Shape} (rank {Rank})");
            int flat = 0;
            for (int i = 0; i < index.Length; i++)
            {
                int d = Shape[i], k = index[i] < 0 ? index[i] + d : index[i];
                if (k < 0 || k >= d)
                    throw new ShapeException($"Tensor index: {index[i]} is out of range for axis {i} of size {d} in shape {Shape}");
                flat = flat * d + k;
            }
            return At(flat);
        }
    }

    /// <summary>The value of a one-element tensor as a double.</summary>
    public double ToScalar() => Size == 1 ? At(0) : throw new ShapeException($"Tensor.ToScalar: tensor of shape {Shape} has {Size} elements, not 1");

    internal double At(int flat)
    {
        double v = Data switch
        {
            float[] f => f[flat],
            double[] d => d[flat],
            int[] n => n[flat],
            _ => throw new InvalidOperationException(),
        };
        GC.KeepAlive(this);
        return v;
    }

    /// <summary>
    /// This tensor with its elements converted to <paramref name="dtype"/>. To int32: truncation toward zero, saturating
    /// at int32's range, NaN to 0 (docs/errors.md, float-to-int policy).
    /// </summary>
    public Tensor Cast(DType dtype)
    {
        if (dtype.Checked("Tensor.Cast") == DType) return this;
        var r = Uninitialized(Shape, dtype);
        for (int i = 0; i < Size; i++)
        {
            double v = At(i);
            switch (r.Data)
            {
                case float[] f: f[i] = (float)v; break;
                case double[] d: d[i] = v; break;
                case int[] n: n[i] = DTypes.ToInt32(v); break;
            }
        }
        return r;
    }

    /// <summary>
    /// The same elements viewed in another shape of the same size. The result shares this tensor's storage (no copy);
    /// that is safe because neither can change, and a compiled function refuses to write into storage a constant uses.
    /// </summary>
    public Tensor Reshape(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Size != Size) throw new ShapeException($"Tensor.Reshape: cannot view {Size} elements of shape {Shape} as shape {shape}");
        return new Tensor(Data, shape, Lease);
    }

    /// <summary>True when shapes are equal and every pair of elements agrees within atol + rtol·|b|; NaNs are equal to NaNs.</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Shape != other.Shape) return false;
        for (int i = 0; i < Size; i++)
        {
            double a = At(i), b = other.At(i);
            if (double.IsNaN(a) && double.IsNaN(b)) continue;
            if (a == b) continue;
            if (!(Math.Abs(a - b) <= atol + rtol * Math.Abs(b))) return false;
        }
        return true;
    }

    /// <summary>True when every element is finite (int32 tensors always are).</summary>
    public bool IsFinite()
    {
        bool finite = Data switch
        {
            float[] f => !f.Any(x => !float.IsFinite(x)),
            double[] d => !d.Any(x => !double.IsFinite(x)),
            _ => true,
        };
        GC.KeepAlive(this);
        return finite;
    }
}

/// <summary>SplitMix64: tiny, fast, and specified bit for bit, so a seed means the same numbers everywhere.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
