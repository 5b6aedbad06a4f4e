using TorchSharp;

namespace FunctionalAD.Bench.Ours;

/// <summary>Sets the thread budget of both libraries before a benchmark case runs.</summary>
public static class ThreadSettings
{
    /// <summary>What FunctionalAD's setting was on the last <see cref="Apply"/>, for the report.</summary>
    public static string OursStatus { get; private set; } = "not applied yet";

    /// <summary>Limits TorchSharp's intra-op pool and FunctionalAD's kernels to <paramref name="threads"/> threads.</summary>
    public static void Apply(int threads)
    {
        torch.set_num_threads(threads);
        Settings.MaxThreads = threads;
        OursStatus = $"FunctionalAD.Settings.MaxThreads = {threads}";
    }
}
