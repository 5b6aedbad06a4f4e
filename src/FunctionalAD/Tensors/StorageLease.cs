using System.Runtime.InteropServices;

namespace FunctionalAD;

/// <summary>
/// Ownership of one pooled storage array, shared by every tensor that views it (a result and its reshapes). When the
/// last such tensor becomes unreachable, so does the lease, and the array goes back to <see cref="ResultPool"/>: found
/// by the pool's own young collection through a weak handle to the lease, or else by the lease's finalizer.
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
    internal readonly StorageTicket Ticket;

    internal StorageLease(StorageTicket ticket) => Ticket = ticket;

    /// <summary>
    /// Gives up recycling: the array now belongs to the garbage collector like any other, because something keeps it
    /// beyond the tensors that hold this lease (a compiled plan keeps its constants as raw storage).
    /// </summary>
    public void Escape()
    {
        if (Interlocked.CompareExchange(ref Ticket.State, StorageTicket.Escaped, StorageTicket.Leased) != StorageTicket.Leased) return;
        GC.SuppressFinalize(this);
        ResultPool.Escaped(Ticket);
    }

    ~StorageLease() => ResultPool.Release(Ticket);
}

/// <summary>
/// The pool's record of one leased array: the array (held here, not by the lease alone, so the pool can take it back
/// as soon as a collection clears the weak handle to the lease) and whether it is still leased.
/// </summary>
internal sealed class StorageTicket(Array array, long bytes)
{
    public const int Leased = 0, Returned = 1, Escaped = 2;

    public Array? Array = array;
    public readonly long Bytes = bytes;
    /// <summary><see cref="Leased"/>, <see cref="Returned"/> or <see cref="Escaped"/>; changes once, by compare-and-swap.</summary>
    public int State;
    /// <summary>Short weak handle to the lease: cleared by the collection that finds the lease unreachable, before its finalizer runs.</summary>
    public GCHandle Lease;
}
