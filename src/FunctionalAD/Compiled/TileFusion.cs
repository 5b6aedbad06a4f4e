using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FunctionalAD;

/// <summary>
/// The expressions and statements of a one-register tile program (<see cref="TileProgram"/>): a row-wise fused group
/// whose whole tile, rows × cols &lt; 16 floats, is one Vector512 held row-major (lane r·cols + j is element (r, j)).
/// A per-row value is held spread along its row (every lane of row r holds it), so element-wise operations treat
/// both alike and spreading a row value along its row costs nothing. Row reductions pick each column with a
/// permutation from the program's index table, which the last pointer (P19) points at, 16 indices per vector:
/// <list type="bullet">
/// <item>0 … cols−1: lane r·cols + j' reads lane r·cols + j (column j of its own row);</item>
/// <item>cols: lane r·cols + j reads lane j (a bias row repeated on every row);</item>
/// <item>cols + 1: lane r·cols + j reads lane r (a stored per-row value spread along its row);</item>
/// <item>cols + 2: lane r reads lane r·cols (a per-row value gathered for storing);</item>
/// <item>cols + 3 + r: lane j reads lane r·cols + j (row r, for column sums).</item>
/// </list>
/// Every sum adds in the order the tiled step adds (<see cref="FusedShortRowsStep{T}"/>), so the results are its bits.
/// </summary>
internal static unsafe class VT
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> Mask(int n) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n)).AsSingle();

    /// <summary>The first n floats at <paramref name="p"/>, zero past them; reads nothing past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> LoadFirst(ref float p, int n)
    {
        fixed (float* q = &p) return Avx512F.MaskLoad(q, Mask(n), Vector512<float>.Zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void StoreFirst(ref float p, int n, Vector512<float> v)
    {
        fixed (float* q = &p) Avx512F.MaskStore(q, Mask(n), v);
    }

    /// <summary>Lane <paramref name="a"/> of the sums, written alone (a 512-bit read-modify-write would wait on the store before it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static ref float Sum(ref VectorState s, int a) => ref Unsafe.Add(ref Unsafe.As<Vector512<float>, float>(ref s.A0), a);

    /// <summary>x permuted by index vector <paramref name="m"/> of the table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> Pick(ref VectorState s, int m, Vector512<float> x) =>
        Vector512.Shuffle(x, Vector512.LoadUnsafe(ref s.P19, (nuint)(m * 16)).AsInt32());

    // Registers are written and read as two Vector256 halves: this machine (Zen 4) forwards no 512-bit store to a
    // 512-bit load, so a Vector512 stored and read back waits ~52 cycles for the store to retire, where a 256-bit
    // store forwards in ~10 (measured by a dependent add, store, load chain). A tile program's registers all lie on
    // its one dependency chain, so that wait is most of its time.
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static ref Vector256<float> Half(ref VectorState s, int k, int half) =>
        ref Unsafe.Add(ref Unsafe.As<Vector512<float>, Vector256<float>>(ref s.R(k)), half);

    /// <summary>Register K, read as two halves.</summary>
    public struct Reg<K> : IVec where K : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => Vector512.Create(Half(ref s, K.Value, 0), Half(ref s, K.Value, 1));
    }

    /// <summary>Register K = E, written as two halves.</summary>
    public struct SetReg<K, E> : IVStmt where K : struct, INum where E : struct, IVec
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            var v = E.Eval(ref s, i);
            Half(ref s, K.Value, 0) = v.GetLower();
            Half(ref s, K.Value, 1) = v.GetUpper();
            return default;
        }
    }

    /// <summary>
    /// Statement S as a method of its own, optimised from its first call. A body inlined whole outgrows the JIT's
    /// inlining budget, and what it then leaves out of line (an exp or a log) passes its Vector512 arguments and
    /// result through the stack, which costs the same ~52 cycles as a register; statements only pass the state.
    /// </summary>
    public struct Call<S> : IVStmt where S : struct, IVStmt
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            S.Exec(ref s, i);
            return default;
        }
    }

    /// <summary>The tile's N elements stored row-major at pointer K.</summary>
    public struct Load<K, N> : IVec where K : struct, INum where N : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => LoadFirst(ref s.P(K.Value), N.Value);
    }

    /// <summary>R per-row values stored at pointer K, spread along their rows of C.</summary>
    public struct LoadRows<K, R, C> : IVec where K : struct, INum where R : struct, INum where C : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => Pick(ref s, C.Value + 1, LoadFirst(ref s.P(K.Value), R.Value));
    }

    /// <summary>A row of C values stored at pointer K (a bias), repeated on every row.</summary>
    public struct LoadPeriodic<K, C> : IVec where K : struct, INum where C : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => Pick(ref s, C.Value, LoadFirst(ref s.P(K.Value), C.Value));
    }

    /// <summary>Each row's Σ, ((0 + x[r,0]) + x[r,1]) + …, spread along the row.</summary>
    public struct RowSum<E, C> : IVec where E : struct, IVec where C : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => Sum(ref s, E.Eval(ref s, i), C.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        internal static Vector512<float> Sum(ref VectorState s, Vector512<float> x, int cols)
        {
            var sum = Vector512<float>.Zero;
            for (int j = 0; j < cols; j++) sum += Pick(ref s, j, x);
            return sum;
        }
    }

    /// <summary>Each row's maximum from −∞, left to right, the first NaN winning (<see cref="MaxNaNOperator"/>), spread along the row.</summary>
    public struct RowMax<E, C> : IVec where E : struct, IVec where C : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => Max(ref s, E.Eval(ref s, i), C.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        internal static Vector512<float> Max(ref VectorState s, Vector512<float> x, int cols)
        {
            var max = Vector512.Create(float.NegativeInfinity);
            for (int j = 0; j < cols; j++) max = MaxNaNOperator.Invoke(max, Pick(ref s, j, x));
            return max;
        }
    }

    /// <summary>
    /// Each row's log Σ exp(x − m) + m, m its maximum (0 where not finite), spread along the row: the steps of the
    /// tiled step's LogSumExp, with exp and log through their operators.
    /// </summary>
    public struct RowLogSumExp<E, C, N> : IVec where E : struct, IVec where C : struct, INum where N : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i)
        {
            var x = E.Eval(ref s, i);
            var m = RowMax<E, C>.Max(ref s, x, C.Value);
            m = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(m), Vector512.Create(float.PositiveInfinity)), m, Vector512<float>.Zero);
            var sum = RowSum<E, C>.Sum(ref s, Unary<ExpOperator, N>.Apply(x - m), C.Value);
            return Unary<LogOperator, N>.Apply(sum) + m;
        }
    }

    /// <summary>
    /// An element-wise operator on a tile of N elements: on the lower half through the operator's Vector256 form
    /// when the tile fits it (the same bits lane for lane, and half the work), through its Vector512 form otherwise.
    /// </summary>
    public struct Unary<TOp, N> where TOp : struct, IUnaryOp where N : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Apply(Vector512<float> x) =>
            N.Value <= Vector256<float>.Count ? Vector512.Create(TOp.Invoke(x.GetLower()), Vector256<float>.Zero) : TOp.Invoke(x);
    }

    /// <summary>An element-wise primitive's operator on a tile of N elements (<see cref="Unary{TOp, N}"/>).</summary>
    public struct Map<TOp, N, A> : IVec where TOp : struct, IUnaryOp where N : struct, INum where A : struct, IVec
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => Unary<TOp, N>.Apply(A.Eval(ref s, i));
    }

    /// <summary>Stores the first N lanes of E at pointer K (a row-major tile).</summary>
    public struct Store<K, N, E> : IVStmt where K : struct, INum where N : struct, INum where E : struct, IVec
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            StoreFirst(ref s.P(K.Value), N.Value, E.Eval(ref s, i));
            return default;
        }
    }

    /// <summary>Stores the R per-row values of E (spread along rows of C) at pointer K.</summary>
    public struct StoreRows<K, R, C, E> : IVStmt where K : struct, INum where R : struct, INum where C : struct, INum where E : struct, IVec
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            StoreFirst(ref s.P(K.Value), R.Value, Pick(ref s, C.Value + 2, E.Eval(ref s, i)));
            return default;
        }
    }

    /// <summary>Stores E's column sums, 0 + Σ over rows in groups of four ((x0 + x1) + (x2 + x3)) then one by one, at pointer K.</summary>
    public struct ColumnSum<K, R, C, E> : IVStmt where K : struct, INum where R : struct, INum where C : struct, INum where E : struct, IVec
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            var x = E.Eval(ref s, i);
            int rows = R.Value, row0 = C.Value + 3, r = 0;
            var sum = Vector512<float>.Zero;
            for (; r + 4 <= rows; r += 4)
                sum += (Pick(ref s, row0 + r, x) + Pick(ref s, row0 + r + 1, x)) + (Pick(ref s, row0 + r + 2, x) + Pick(ref s, row0 + r + 3, x));
            for (; r < rows; r++) sum += Pick(ref s, row0 + r, x);
            StoreFirst(ref s.P(K.Value), C.Value, sum);
            return default;
        }
    }

    /// <summary>
    /// Σ of Count lanes of E, Stride apart from lane 0, added from 0 in lane order, into lane A of the state's sums:
    /// every element of a tile (stride 1, in row-major order) or one lane per row of a per-row value (stride cols).
    /// </summary>
    public struct SumLanes<E, Count, Stride, A> : IVStmt where E : struct, IVec where Count : struct, INum where Stride : struct, INum where A : struct, INum
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            var x = E.Eval(ref s, i);
            float sum = 0;
            for (int k = 0; k < Count.Value; k++) sum += x.GetElement(k * Stride.Value);
            Sum(ref s, A.Value) = sum;
            return default;
        }
    }
}

/// <summary>Runs a one-register tile program's body once; one JIT-specialised copy exists per program.</summary>
internal abstract class TileLoop
{
    /// <summary>Runs the body; scalar sums come back in the lanes of <see cref="VectorState.A0"/>.</summary>
    public abstract void Run(ref VectorState s);
}

internal sealed class TileLoop<TBody> : TileLoop where TBody : struct, IVStmt
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    // No private copy of the state, as VectorLoop keeps one for its loop: the state is 1.7 KB of vectors and references,
    // and copying it (with write barriers for the references) costs more than one pass of a body this short.
    public override void Run(ref VectorState s) => TBody.Exec(ref s, 0);
}
