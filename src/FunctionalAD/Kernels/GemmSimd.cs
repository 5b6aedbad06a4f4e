using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FunctionalAD;

/// <summary>
/// One vector width as a type, so a skinny GEMM kernel is written once and the JIT specialises it for
/// Vector512 and Vector256 (struct type arguments get their own code, with every call inlined).
/// </summary>
internal unsafe interface ISimd<T, TV> where T : unmanaged where TV : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }
    /// <summary>Whether the hardware runs this width natively.</summary>
    static abstract bool Accelerated { get; }
    static abstract TV Load(T* p);
    static abstract void Store(TV v, T* p);
    /// <summary>Every lane set to *p.</summary>
    static abstract TV Broadcast(T* p);
    /// <summary>a·b + c, rounded once.</summary>
    static abstract TV Fma(TV a, TV b, TV c);
    static abstract T Sum(TV v);
    /// <summary>dst[r·stride] = the sum of the lanes of v_r for r = 0..3.</summary>
    static abstract void Sum4(TV v0, TV v1, TV v2, TV v3, T* dst, int stride);
}

/// <summary>A compile-time integer: the JIT folds <see cref="Value"/> in code specialised for the struct, so branches on it vanish.</summary>
internal interface IConst
{
    static abstract int Value { get; }
}

internal struct C1 : IConst { public static int Value => 1; }
internal struct C2 : IConst { public static int Value => 2; }
internal struct C3 : IConst { public static int Value => 3; }
internal struct C4 : IConst { public static int Value => 4; }
internal struct C5 : IConst { public static int Value => 5; }
internal struct C6 : IConst { public static int Value => 6; }
internal struct C7 : IConst { public static int Value => 7; }
internal struct C8 : IConst { public static int Value => 8; }
internal struct C9 : IConst { public static int Value => 9; }
internal struct C10 : IConst { public static int Value => 10; }

internal readonly unsafe struct V512<T> : ISimd<T, Vector512<T>> where T : unmanaged
{
    public static int Count => Vector512<T>.Count;
    public static bool Accelerated => Vector512.IsHardwareAccelerated;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(T* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> v, T* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Broadcast(T* p) => Vector512.Create(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector512<T> v) => Vector512.Sum(v);

    /// <remarks>
    /// A transposing tree instead of four separate lane sums (each about 25 dependent instructions): two folds of
    /// vector pairs put each v_r's partial sums into a quarter of one vector, then folds of that vector with
    /// itself finish them; v0 ends in lane 0, v1 in lane w/2, v2 in w/4, v3 in 3w/4.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector512<T> v0, Vector512<T> v1, Vector512<T> v2, Vector512<T> v3, T* dst, int stride)
    {
        int w = Count;
        var r = Fold(Fold(v0, v1, w / 2), Fold(v2, v3, w / 2), w / 4);
        for (int h = w / 8; h >= 1; h /= 2) r = Fold(r, r, h);
        dst[0] = r.GetElement(0);
        dst[stride] = r.GetElement(w / 2);
        dst[2 * stride] = r.GetElement(w / 4);
        dst[3 * stride] = r.GetElement(3 * w / 4);
    }

    /// <summary>Lane l: x[l] + x[l ^ h] where bit h of l is clear, y[l] + y[l ^ h] where it is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fold(Vector512<T> x, Vector512<T> y, int h)
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            var idx = Vector512<int>.Indices;
            var hv = Vector512.Create(h);
            var upper = Vector512.Equals(idx & hv, hv).AsSingle();
            Vector512<float> xs = x.AsSingle(), ys = y.AsSingle();
            var b = Avx512F.PermuteVar16x32(Vector512.ConditionalSelect(upper, xs, ys), idx ^ hv);
            return (Vector512.ConditionalSelect(upper, ys, xs) + b).As<float, T>();
        }
        if (typeof(T) == typeof(double) && Avx512F.IsSupported)
        {
            var idx = Vector512<long>.Indices;
            var hv = Vector512.Create((long)h);
            var upper = Vector512.Equals(idx & hv, hv).AsDouble();
            Vector512<double> xs = x.AsDouble(), ys = y.AsDouble();
            var b = Avx512F.PermuteVar8x64(Vector512.ConditionalSelect(upper, xs, ys), idx ^ hv);
            return (Vector512.ConditionalSelect(upper, ys, xs) + b).As<double, T>();
        }
        throw new PlatformNotSupportedException();
    }
}

internal readonly unsafe struct V256<T> : ISimd<T, Vector256<T>> where T : unmanaged
{
    public static int Count => Vector256<T>.Count;
    public static bool Accelerated => Vector256.IsHardwareAccelerated;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(T* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> v, T* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Broadcast(T* p) => Vector256.Create(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector256<T> v) => Vector256.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector256<T> v0, Vector256<T> v1, Vector256<T> v2, Vector256<T> v3, T* dst, int stride)
    {
        dst[0] = Vector256.Sum(v0);
        dst[stride] = Vector256.Sum(v1);
        dst[2 * stride] = Vector256.Sum(v2);
        dst[3 * stride] = Vector256.Sum(v3);
    }
}
