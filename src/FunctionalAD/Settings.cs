namespace FunctionalAD;

/// <summary>Process-wide knobs of the kernels.</summary>
public static class Settings
{
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// The most threads one kernel call may use (matrix products large enough to pay for threads split their
    /// row blocks over this many). 1 makes every kernel single-threaded, which also makes compiled functions
    /// allocation-free in steady state. Defaults to <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public static int MaxThreads
    {
        get => Volatile.Read(ref _maxThreads);
        set
        {
            if (value < 1) throw new FunctionalADException($"Settings.MaxThreads must be at least 1, got {value}");
            Volatile.Write(ref _maxThreads, value);
        }
    }
}
