using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// The state one fused float32 loop iteration works on: references to the stored operands and results, the
/// registers holding intermediate vectors, the running sum, and broadcast numbers. Lives on the stack of a call.
/// </summary>
internal ref struct VectorState
{
    public ref float P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11, P12, P13, P14, P15, P16, P17, P18, P19;
    public Vector512<float> R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15;
    public Vector512<float> A0;
    /// <summary>Flat index where the current row starts, for operands repeated once per row.</summary>
    public nuint RowStart;
    public Vector512<float> S0, S1, S2, S3, S4, S5, S6, S7;

    public const int Pointers = 20, Registers = 16, Scalars = 8;

    /// <summary>Points pointer <paramref name="k"/> at <paramref name="a"/>[<paramref name="offset"/>]: a reference into a heap array may live in the state freely, and the GC keeps it valid as arrays move.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Bind(ref VectorState s, int k, float[] a, int offset)
    {
        switch (k)
        {
            case 0: s.P0 = ref a[offset]; break; case 1: s.P1 = ref a[offset]; break; case 2: s.P2 = ref a[offset]; break;
            case 3: s.P3 = ref a[offset]; break; case 4: s.P4 = ref a[offset]; break; case 5: s.P5 = ref a[offset]; break;
            case 6: s.P6 = ref a[offset]; break; case 7: s.P7 = ref a[offset]; break; case 8: s.P8 = ref a[offset]; break;
            case 9: s.P9 = ref a[offset]; break; case 10: s.P10 = ref a[offset]; break; case 11: s.P11 = ref a[offset]; break;
            case 12: s.P12 = ref a[offset]; break; case 13: s.P13 = ref a[offset]; break; case 14: s.P14 = ref a[offset]; break;
            case 15: s.P15 = ref a[offset]; break; case 16: s.P16 = ref a[offset]; break; case 17: s.P17 = ref a[offset]; break;
            case 18: s.P18 = ref a[offset]; break; default: s.P19 = ref a[offset]; break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public ref float P(int k)
    {
        switch (k)
        {
            case 0: return ref P0; case 1: return ref P1; case 2: return ref P2; case 3: return ref P3;
            case 4: return ref P4; case 5: return ref P5; case 6: return ref P6; case 7: return ref P7;
            case 8: return ref P8; case 9: return ref P9; case 10: return ref P10; case 11: return ref P11;
            case 12: return ref P12; case 13: return ref P13; case 14: return ref P14; case 15: return ref P15;
            case 16: return ref P16; case 17: return ref P17; case 18: return ref P18; default: return ref P19;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization), UnscopedRef]
    public ref Vector512<float> R(int k)
    {
        switch (k)
        {
            case 0: return ref R0; case 1: return ref R1; case 2: return ref R2; case 3: return ref R3;
            case 4: return ref R4; case 5: return ref R5; case 6: return ref R6; case 7: return ref R7;
            case 8: return ref R8; case 9: return ref R9; case 10: return ref R10; case 11: return ref R11;
            case 12: return ref R12; case 13: return ref R13; case 14: return ref R14; default: return ref R15;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization), UnscopedRef]
    public ref Vector512<float> S(int k)
    {
        switch (k)
        {
            case 0: return ref S0; case 1: return ref S1; case 2: return ref S2; case 3: return ref S3;
            case 4: return ref S4; case 5: return ref S5; case 6: return ref S6; default: return ref S7;
        }
    }
}

/// <summary>A compile-time number carried by a type, so the JIT folds the register and pointer choices.</summary>
internal interface INum { static abstract int Value { get; } }
#pragma warning disable CS1591
internal struct N0 : INum { public static int Value => 0; }
internal struct N1 : INum { public static int Value => 1; }
internal struct N2 : INum { public static int Value => 2; }
internal struct N3 : INum { public static int Value => 3; }
internal struct N4 : INum { public static int Value => 4; }
internal struct N5 : INum { public static int Value => 5; }
internal struct N6 : INum { public static int Value => 6; }
internal struct N7 : INum { public static int Value => 7; }
internal struct N8 : INum { public static int Value => 8; }
internal struct N9 : INum { public static int Value => 9; }
internal struct N10 : INum { public static int Value => 10; }
internal struct N11 : INum { public static int Value => 11; }
internal struct N12 : INum { public static int Value => 12; }
internal struct N13 : INum { public static int Value => 13; }
internal struct N14 : INum { public static int Value => 14; }
internal struct N15 : INum { public static int Value => 15; }
internal struct N16 : INum { public static int Value => 16; }
internal struct N17 : INum { public static int Value => 17; }
internal struct N18 : INum { public static int Value => 18; }
internal struct N19 : INum { public static int Value => 19; }
#pragma warning restore CS1591

/// <summary>A vector-valued expression of a fused loop, as a type: instantiating it over structs lets the JIT inline the whole tree.</summary>
internal interface IVec { static abstract Vector512<float> Eval(ref VectorState s, nuint i); }

/// <summary>One statement of a fused loop body; a statement that feeds the loop's sum returns its contribution.</summary>
internal interface IVStmt
{
    /// <summary>Whether <see cref="Exec"/> returns a contribution to the running sum.</summary>
    static abstract bool Sums { get; }
    static abstract Vector512<float> Exec(ref VectorState s, nuint i);
}

/// <summary>
/// The vector expressions and statements. Each is an empty struct whose type arguments are its operands, so
/// <c>Binary&lt;AddOperator, Load&lt;N0&gt;, Reg&lt;N3&gt;&gt;</c> compiles to one load and one add: a fused loop without an interpreter.
/// </summary>
internal static class V
{
    public struct Load<K> : IVec where K : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => Vector512.LoadUnsafe(ref s.P(K.Value), i);
    }
    /// <summary>An operand repeated along every row (a bias): element i reads position i - RowStart.</summary>
    public struct LoadRow<K> : IVec where K : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => Vector512.LoadUnsafe(ref s.P(K.Value), i - s.RowStart);
    }
    public struct Reg<K> : IVec where K : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => s.R(K.Value);
    }
    public struct Scalar<K> : IVec where K : struct, INum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => s.S(K.Value);
    }
    /// <summary>An element-wise primitive's operator applied to one operand (its <see cref="UnaryElementwise.Operator"/>).</summary>
    public struct Unary<TOp, A> : IVec where TOp : struct, IUnaryOp where A : struct, IVec
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => TOp.Invoke(A.Eval(ref s, i));
    }
    /// <summary>An element-wise primitive's operator applied to two operands (its <see cref="BinaryElementwise.Operator"/>).</summary>
    public struct Binary<TOp, A, B> : IVec where TOp : struct, IBinaryOp where A : struct, IVec where B : struct, IVec
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => TOp.Invoke(A.Eval(ref s, i), B.Eval(ref s, i));
    }
    public struct Select<C, A, B> : IVec where C : struct, IVec where A : struct, IVec where B : struct, IVec
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Eval(ref VectorState s, nuint i) => WhereOp.Select(C.Eval(ref s, i), A.Eval(ref s, i), B.Eval(ref s, i));
    }

    public struct SetReg<K, E> : IVStmt where K : struct, INum where E : struct, IVec
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            s.R(K.Value) = E.Eval(ref s, i);
            return default;
        }
    }
    public struct Store<K, E> : IVStmt where K : struct, INum where E : struct, IVec
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            Vector512.StoreUnsafe(E.Eval(ref s, i), ref s.P(K.Value), i);
            return default;
        }
    }
    /// <summary>Stores E through pointer K and keeps it in register R for later readers in the same body.</summary>
    public struct StoreKeep<K, R, E> : IVStmt where K : struct, INum where R : struct, INum where E : struct, IVec
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            var v = E.Eval(ref s, i);
            Vector512.StoreUnsafe(v, ref s.P(K.Value), i);
            s.R(R.Value) = v;
            return default;
        }
    }
    /// <summary>Contributes E to the loop's running sum, which the loop keeps in a register.</summary>
    public struct Accumulate<E> : IVStmt where E : struct, IVec
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => true; }
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i) => E.Eval(ref s, i);
    }
    public struct Seq<S1, S2> : IVStmt where S1 : struct, IVStmt where S2 : struct, IVStmt
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => S1.Sums || S2.Sums; }
        // A body too big to inline whole is split at some Seq into calls: each is then optimised from its first
        // call, as the loop itself is, instead of starting in tier-0 code.
        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public static Vector512<float> Exec(ref VectorState s, nuint i)
        {
            var a = S1.Exec(ref s, i);
            var b = S2.Exec(ref s, i);
            // Sums are constants of the type, so the JIT keeps only the branch that applies.
            if (S1.Sums && S2.Sums) return a + b;
            return S1.Sums ? a : b;
        }
    }
    public struct Nop : IVStmt
    {
        public static bool Sums { [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)] get => false; }
        public static Vector512<float> Exec(ref VectorState s, nuint i) => default;
    }
}

/// <summary>Runs a loop body type over whole vectors; one JIT-specialised copy exists per fused program.</summary>
internal abstract class VectorLoop
{
    /// <summary>Runs the body for i = from, from + 16, … while a whole vector fits before <paramref name="to"/>.</summary>
    public abstract void Run(ref VectorState s, nuint from, nuint to);
}

internal sealed class VectorLoop<TBody> : VectorLoop where TBody : struct, IVStmt
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Run(ref VectorState s, nuint from, nuint to)
    {
        // The running sum is a local so it stays in a register instead of a store-to-load chain through memory.
        // The loop works on a private copy of the state: stores through the output references cannot alias a local
        // whose address never escapes, so the JIT keeps its references and registers in machine registers instead of
        // reloading them from the caller's state after every store.
        var local = s;
        var sum = Vector512<float>.Zero;
        for (nuint i = from; i + 16 <= to; i += 16)
        {
            var v = TBody.Exec(ref local, i);
            if (TBody.Sums) sum += v;
        }
        s.A0 += sum;
    }
}
