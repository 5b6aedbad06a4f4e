namespace FunctionalAD;

/// <summary>
/// The gradient tapes recording on the current thread. While there is one, it listens on
/// <see cref="Primitive.Built"/> for every application built, and <see cref="Variable"/> reports every read,
/// so each recording tape learns what happened while it was recording, in order. Kept per thread, as
/// TensorFlow keeps its tape stack.
/// </summary>
internal static class TapeRecorder
{
    [ThreadStatic] private static List<GradientTape>? _active;
    private static long _scopes;

    /// <summary>Starts sending this thread's work to <paramref name="tape"/>; returns the list to remove it from later.</summary>
    internal static List<GradientTape> Add(GradientTape tape)
    {
        var tapes = _active ??= new List<GradientTape>();
        tapes.Add(tape);
        Primitive.Built = Built;
        Changed();
        return tapes;
    }

    /// <summary>Stops sending work to <paramref name="tape"/>; with no tape left, building costs nothing extra.</summary>
    internal static void Remove(GradientTape tape, List<GradientTape> tapes)
    {
        tapes.Remove(tape);
        if (tapes.Count == 0 && ReferenceEquals(tapes, _active)) Primitive.Built = null;
        Changed();
    }

    /// <summary>
    /// A tape started, stopped, paused or resumed: what is built from now on is a new execution, interned apart
    /// from equal work built before (see <see cref="Interning.Scope"/>).
    /// </summary>
    internal static void Changed() =>
        Interning.Scope = _active is { Count: > 0 } ? Interlocked.Increment(ref _scopes) : 0;

    /// <summary>True while some tape records on this thread (so work built now may be recorded).</summary>
    internal static bool AnyRecording
    {
        get
        {
            if (_active is not { Count: > 0 } tapes) return false;
            foreach (var t in tapes)
                if (t.IsRecording) return true;
            return false;
        }
    }

    private static void Built(Apply node)
    {
        var tapes = _active;
        if (tapes is null) return;
        foreach (var t in tapes) t.Record(node);
        Interning.JustMade = null;
    }

    /// <summary>Tells each recording tape that <paramref name="v"/> was read just now as the leaf <paramref name="read"/>.</summary>
    internal static void Accessed(Variable v, Const read)
    {
        var tapes = _active;
        if (tapes is null || tapes.Count == 0) return;
        foreach (var t in tapes) t.Access(v, read);
    }
}
