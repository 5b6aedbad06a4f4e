using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FunctionalAD;

/// <summary>
/// The Vector256/Vector512 math functions of the runtime (float and double only) behind one generic signature,
/// so an operator struct writes <c>VectorMath.Exp(x)</c> once for both element types; and a lane-by-lane
/// fallback for functions with no vector form.
/// </summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<T> Exp<T>(Vector512<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? WidenedExp(x.AsSingle()).As<float, T>() : Vector512.Exp(x.AsDouble()).As<double, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<T> Exp<T>(Vector256<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? WidenedExp(x.AsSingle()).As<float, T>() : Vector256.Exp(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<T> Log<T>(Vector512<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? WidenedLog(x.AsSingle()).As<float, T>() : Vector512.Log(x.AsDouble()).As<double, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<T> Log<T>(Vector256<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? WidenedLog(x.AsSingle()).As<float, T>() : Vector256.Log(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<T> Sin<T>(Vector512<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector512.Sin(x.AsSingle()).As<float, T>() : Vector512.Sin(x.AsDouble()).As<double, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<T> Sin<T>(Vector256<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector256.Sin(x.AsSingle()).As<float, T>() : Vector256.Sin(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<T> Cos<T>(Vector512<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector512.Cos(x.AsSingle()).As<float, T>() : Vector512.Cos(x.AsDouble()).As<double, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<T> Cos<T>(Vector256<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector256.Cos(x.AsSingle()).As<float, T>() : Vector256.Cos(x.AsDouble()).As<double, T>();

    // float32 exp and log run in float64 lanes and round once (WideMath): correctly rounded over every float, where
    // the runtime's float32 forms miss for about half of all inputs (exp(0) = 1.0000001).
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> WidenedExp(Vector512<float> x)
    {
        var (lo, hi) = Vector512.Widen(x);
        return Vector512.Narrow(WideMath.Exp(lo), WideMath.Exp(hi));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<float> WidenedExp(Vector256<float> x)
    {
        var (lo, hi) = Vector256.Widen(x);
        return Vector256.Narrow(WideMath.Exp(lo), WideMath.Exp(hi));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> WidenedLog(Vector512<float> x)
    {
        var (lo, hi) = Vector512.Widen(x);
        return Vector512.Narrow(WideMath.Log(lo), WideMath.Log(hi));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<float> WidenedLog(Vector256<float> x)
    {
        var (lo, hi) = Vector256.Widen(x);
        return Vector256.Narrow(WideMath.Log(lo), WideMath.Log(hi));
    }

    /// <summary>The scalar form of float32 exp: the vector forms' bits (<see cref="WideMath"/>); float64 is the runtime's.</summary>
    public static T Exp<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating((float)WideMath.Exp(double.CreateTruncating(x))) : T.Exp(x);

    /// <summary>The scalar form of float32 log: the vector forms' bits (<see cref="WideMath"/>); float64 is the runtime's.</summary>
    public static T Log<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating((float)WideMath.Log(double.CreateTruncating(x))) : T.Log(x);

    /// <summary>log(1 + y) for y ≥ 0, accurate where 1 + y rounds to 1: log(u)·y/(u - 1) with u = 1 + y (Goldberg), y itself when u = 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector512<T> LogP1<T>(Vector512<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = Vector512<T>.One + y;
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<T>.One), y, Log(u) * (y / (u - Vector512<T>.One)));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static Vector256<T> LogP1<T>(Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var u = Vector256<T>.One + y;
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<T>.One), y, Log(u) * (y / (u - Vector256<T>.One)));
    }
    /// <summary>The scalar form of <see cref="LogP1{T}(Vector512{T})"/>.</summary>
    public static T LogP1<T>(T y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + y;
        return u == T.One ? y : Log(u) * (y / (u - T.One));
    }

    /// <summary>A scalar function applied lane by lane, for functions with no vector form (pow, float64 tanh).</summary>
    public static Vector512<T> PerLane<T>(Vector512<T> x, Func<T, T> f) where T : unmanaged
    {
        Span<T> s = stackalloc T[Vector512<T>.Count];
        x.CopyTo(s);
        for (int i = 0; i < s.Length; i++) s[i] = f(s[i]);
        return Vector512.Create<T>(s);
    }
    /// <inheritdoc cref="PerLane{T}(Vector512{T}, Func{T, T})"/>
    public static Vector256<T> PerLane<T>(Vector256<T> x, Func<T, T> f) where T : unmanaged
    {
        Span<T> s = stackalloc T[Vector256<T>.Count];
        x.CopyTo(s);
        for (int i = 0; i < s.Length; i++) s[i] = f(s[i]);
        return Vector256.Create<T>(s);
    }
}
