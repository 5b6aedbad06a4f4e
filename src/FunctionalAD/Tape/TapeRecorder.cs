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

    /// <summary>Starts sending this thread's work to <paramref name="tape"/>; returns the list to remove it from later.</summary>
    internal static List<GradientTape> Add(GradientTape tape)
    {
        var tapes = _active ??= new List<GradientTape>();
        tapes.Add(tape);
        Primitive.Built = Built;
        return tapes;
    }

    /// <summary>Stops sending work to <paramref name="tape"/>; with no tape left, building costs nothing extra.</summary>
    internal static void Remove(GradientTape tape, List<GradientTape> tapes)
    {
        tapes.Remove(tape);
        if (tapes.Count == 0 && ReferenceEquals(tapes, _active)) Primitive.Built = null;
    }

    private static void Built(Apply node)
    {
        var tapes = _active;
        if (tapes is null) return;
        foreach (var t in tapes) t.Record(node);
    }

    /// <summary>Tells each recording tape that <paramref name="v"/> was read into an expression just now.</summary>
    internal static void Accessed(Variable v)
    {
        var tapes = _active;
        if (tapes is null || tapes.Count == 0) return;
        foreach (var t in tapes) t.Access(v);
    }
}
