using System.Runtime.CompilerServices;

namespace FunctionalAD;

/// <summary>Where a value of a compiled function lives.</summary>
internal enum LocKind : byte
{
    /// <summary>In the workspace's arena of its dtype, shared over time with values whose lives do not overlap.</summary>
    Arena,
    /// <summary>In the storage of an input tensor of the current call.</summary>
    Input,
    /// <summary>In the storage of an output tensor of the current call.</summary>
    Output,
    /// <summary>In a constant folded at compile time.</summary>
    Const,
}

/// <summary>A value's place: which storage, the element offset into it and the number of elements.</summary>
internal readonly record struct Loc(LocKind Kind, int Index, int Offset, int Length, DType DType)
{
    public override string ToString() => Kind switch
    {
        LocKind.Arena => $"arena[{Offset}..+{Length}]",
        LocKind.Input => $"in{Index}",
        LocKind.Output => $"out{Index}",
        _ => $"const{Index}",
    };
}

/// <summary>
/// The mutable memory of one call of a compiled function: one arena per dtype sized at compile time, scratch
/// for the fused kernels, and the call's inputs and outputs. A call takes a workspace from the function's pool
/// and gives it back, so concurrent calls never share one and steady-state calls allocate nothing.
/// </summary>
internal sealed class Workspace
{
    public readonly float[] F;
    public readonly double[] D;
    public readonly int[] I;
    public readonly float[] TileF;
    public readonly double[] TileD;
    public readonly Array[] Consts;
    // Wrapped in a struct: storing a float[] into an Array[] pays the runtime's covariance check, into a struct field it does not.
    public readonly Storage[] Inputs;
    public readonly Storage[] Outputs;
    /// <summary>Per-step private state (accumulators, fallback tensors), indexed by step.</summary>
    public readonly object?[] State;
    /// <summary>Output storage last found not frozen, when <see cref="Tensor.Freezes"/> was <see cref="NotFrozenAt"/>.</summary>
    public readonly Array?[] NotFrozen;
    public int NotFrozenAt = -1;

    public Workspace(CompiledFunction f)
    {
        F = new float[f.ArenaF];
        D = new double[f.ArenaD];
        I = new int[f.ArenaI];
        TileF = new float[f.TileF];
        TileD = new double[f.TileD];
        Consts = f.ConstData;
        Inputs = new Storage[f.Inputs.Count];
        Outputs = new Storage[f.Outputs.Count];
        NotFrozen = new Array?[f.Outputs.Count];
        State = new object?[f.Steps.Length];
        for (int i = 0; i < f.Steps.Length; i++) State[i] = f.Steps[i].CreateState();
    }

    // Inlined where the caller's inlining budget allows; where it does not, still optimised from the first call,
    // since a one-CPU process may never tier the called copy up (docs/speed.md).
    /// <summary>The array behind <paramref name="l"/>, unchecked: the compiler guarantees the element type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public T[] Array<T>(Loc l)
    {
        Array a = l.Kind switch
        {
            LocKind.Arena => l.DType switch { DType.Float32 => F, DType.Float64 => D, _ => I },
            LocKind.Input => Inputs[l.Index].Data!,
            LocKind.Output => Outputs[l.Index].Data!,
            _ => Consts[l.Index],
        };
        return Unsafe.As<T[]>(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public Span<T> Span<T>(Loc l) => Array<T>(l).AsSpan(l.Offset, l.Length);

    /// <summary>Scratch of the fused kernels for dtype <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public T[] Tile<T>() => typeof(T) == typeof(float) ? Unsafe.As<T[]>(TileF) : Unsafe.As<T[]>(TileD);
}

/// <summary>The storage of one input or output tensor of the current call.</summary>
internal struct Storage
{
    public Array? Data;
}

/// <summary>One precomputed operation of a compiled function. Immutable; everything mutable is in the <see cref="Workspace"/>.</summary>
internal abstract class Step
{
    /// <summary>This step's position, which is also its slot in <see cref="Workspace.State"/>.</summary>
    public int Index;

    public abstract void Run(Workspace ws);

    /// <summary>Mutable per-workspace state this step needs, made once per workspace.</summary>
    public virtual object? CreateState() => null;

    /// <summary>One line for <see cref="CompiledFunction.Describe"/>.</summary>
    public abstract string Describe();
}
