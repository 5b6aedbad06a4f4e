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

    private static int _planCacheCapacity = 512;
    private static int _compileAfterUses = 2;

    /// <summary>
    /// The most compiled plans the <see cref="PlanCache"/> keeps (one per distinct graph structure); the least
    /// recently used goes first. Defaults to 512. Lowering it evicts at once.
    /// </summary>
    public static int PlanCacheCapacity
    {
        get => Volatile.Read(ref _planCacheCapacity);
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "Settings.PlanCacheCapacity must be at least 1");
            Volatile.Write(ref _planCacheCapacity, value);
            PlanCache.OnCapacityChanged(value);
        }
    }

    /// <summary>
    /// On which use a small graph structure is compiled: 1 compiles the first time it is seen, 2 (the default)
    /// interprets the first use and compiles on the second, so one-off evaluations of small expressions (printing,
    /// REPL, tests) do not pay for compiling while loops compile on their second step. A graph computing more than
    /// 65536 elements compiles at its first use, where compiling is cheaper than one interpreted run. See docs/engine-cache.md.
    /// </summary>
    public static int CompileAfterUses
    {
        get => Volatile.Read(ref _compileAfterUses);
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "Settings.CompileAfterUses must be at least 1");
            Volatile.Write(ref _compileAfterUses, value);
        }
    }

    private static long _resultPoolBytes = 256L << 20;

    /// <summary>
    /// The most bytes of free result storage the <see cref="ResultPool"/> keeps for reuse (arrays of 85,000 bytes and
    /// up); half of it is how much storage the pool hands out before it asks for a young collection to find dead
    /// results (when it has none free of the size asked for). Defaults to 256 MiB. 0 turns pooling off: every result gets a fresh array. Lowering it drops
    /// free arrays at once. See docs/memory.md.
    /// </summary>
    public static long ResultPoolBytes
    {
        get => Volatile.Read(ref _resultPoolBytes);
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "Settings.ResultPoolBytes must not be negative");
            Volatile.Write(ref _resultPoolBytes, value);
            ResultPool.Trim(value);
        }
    }
}
