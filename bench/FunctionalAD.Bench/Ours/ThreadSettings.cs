using System.Runtime.CompilerServices;
using TorchSharp;

namespace FunctionalAD.Bench.Ours;

/// <summary>Sets the thread budget of both libraries before a benchmark case runs.</summary>
public static class ThreadSettings
{
    private static readonly SortedSet<int> Applied = [];

    /// <summary>The thread budgets cases ran with, for the report.</summary>
    public static string OursStatus => Applied.Count == 0
        ? "not applied (no workload ran)"
        : $"FunctionalAD.Settings.MaxThreads (and torch.set_num_threads) set to each case's Threads: {string.Join(", ", Applied)}";

    /// <summary>
    /// Limits FunctionalAD's kernels to <paramref name="threads"/> threads, and TorchSharp's intra-op pool too
    /// unless <paramref name="peer"/> is false (which keeps libtorch from being loaded at all).
    /// </summary>
    public static void Apply(int threads, bool peer = true)
    {
        if (peer) ApplyToPeer(threads);
        Settings.MaxThreads = threads;
        Applied.Add(threads);
    }

    // Kept out of Apply so that calling Apply without the peer never touches a TorchSharp type.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ApplyToPeer(int threads) => torch.set_num_threads(threads);
}
