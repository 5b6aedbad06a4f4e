namespace FunctionalAD;

/// <summary>
/// Ownership of one pooled storage array, shared by every tensor that views it (a result and its reshapes).
/// When the last such tensor becomes unreachable, so does the lease, and its finalizer gives the array back to
/// <see cref="ResultPool"/>.
/// </summary>
/// <remarks>
/// Large arrays live in the large-object heap, which only a full (gen2) collection examines, so their own death is
/// noticed late and expensively. A lease is a small, young object: a cheap gen0/gen1 collection finds it dead.
/// A lease is safe only if every reader of the array keeps a tensor holding it reachable until the read ends
/// (GC.KeepAlive after the last use of a span), or marks the lease escaped (<see cref="Escape"/>) when the array is
/// kept beyond its tensors, as a compiled plan's constants are.
/// </remarks>
internal sealed class StorageLease
{
    private readonly Array _array;
    private readonly long _bytes;
    private int _escaped;

    internal StorageLease(Array array, long bytes)
    {
        _array = array;
        _bytes = bytes;
    }

    /// <summary>True once the array can never return to the pool.</summary>
    public bool Escaped => Volatile.Read(ref _escaped) != 0;

    /// <summary>
    /// Gives up recycling: the array now belongs to the garbage collector like any other, because something keeps it
    /// beyond the tensors that hold this lease (a compiled plan keeps its constants as raw storage).
    /// </summary>
    public void Escape()
    {
        if (Interlocked.Exchange(ref _escaped, 1) != 0) return;
        GC.SuppressFinalize(this);
        ResultPool.Escaped(_bytes);
    }

    ~StorageLease()
    {
        if (Volatile.Read(ref _escaped) != 0) return;
        Tensor.Thaw(_array);
        ResultPool.Return(_array, _bytes);
    }
}
