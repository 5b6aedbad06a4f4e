using System.Reflection;
using TorchSharp;

namespace FunctionalAD.Bench.Ours;

/// <summary>Sets the thread budget of both libraries before a benchmark case runs.</summary>
public static class ThreadSettings
{
    /// <summary>
    /// What happened to FunctionalAD's own setting on the last <see cref="Apply"/>, for the report:
    /// whether the library has a thread budget to set at all.
    /// </summary>
    public static string OursStatus { get; private set; } = "not applied yet";

    /// <summary>Limits TorchSharp's intra-op pool and FunctionalAD's kernels to <paramref name="threads"/> threads.</summary>
    public static void Apply(int threads)
    {
        torch.set_num_threads(threads);
        OursStatus = SetOurs(threads);
    }

    // MERGE: FunctionalAD.Settings.MaxThreads is being added on another branch. Until it is here this is done
    // by reflection, so the bench builds either way; once merged, replace the body with
    // `Settings.MaxThreads = threads; return "...";`.
    private static string SetOurs(int threads)
    {
        var settings = typeof(Ad).Assembly.GetType("FunctionalAD.Settings");
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Static;
        var property = settings?.GetProperty("MaxThreads", flags);
        if (property is { CanWrite: true })
        {
            property.SetValue(null, threads);
            return "FunctionalAD.Settings.MaxThreads set";
        }
        var field = settings?.GetField("MaxThreads", flags);
        if (field is not null && !field.IsInitOnly)
        {
            field.SetValue(null, threads);
            return "FunctionalAD.Settings.MaxThreads set";
        }
        return "FunctionalAD.Settings.MaxThreads not present: ours ran with its default threading";
    }
}
