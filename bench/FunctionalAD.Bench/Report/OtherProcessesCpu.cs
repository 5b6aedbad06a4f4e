using System.Diagnostics;

namespace FunctionalAD.Bench.Report;

/// <summary>
/// How many cores other processes kept busy while a case ran, from its global setup to its cleanup: the
/// machine's busy time (<c>/proc/stat</c>) minus this process's own CPU time (<c>/proc/self/stat</c>, all its
/// threads, the peer's included), over the wall time. On a 2-core machine a two-thread case needs both cores;
/// a case during which others used half a core or more did not get them, whatever its numbers say.
/// </summary>
public static class OtherProcessesCpu
{
    private static readonly Dictionary<(string Type, string Method, int Threads), double> Measured = [];
    private static (string Type, string Method, int Threads)? _open;
    private static (long Busy, long Self, long Wall) _start;

    /// <summary>Starts watching a case (a case already open is closed first).</summary>
    public static void Start(string type, string method, int threads)
    {
        if (_open is not null) Stop();
        var now = Read();
        if (now is null) return;
        _open = (type, method, threads);
        _start = now.Value;
    }

    /// <summary>Stops watching the open case and records its average.</summary>
    public static void Stop()
    {
        if (_open is not { } key) return;
        _open = null;
        var now = Read();
        if (now is null) return;
        double seconds = (now.Value.Wall - _start.Wall) / (double)Stopwatch.Frequency;
        if (seconds <= 0) return;
        double others = (now.Value.Busy - _start.Busy - (now.Value.Self - _start.Self)) / Ticks / seconds;
        Measured[key] = Math.Max(0, others);
    }

    /// <summary>Cores other processes used during the case on average, or null when it was not watched (or not on Linux).</summary>
    public static double? For(string type, string method, int threads) =>
        Measured.TryGetValue((type, method, threads), out double v) ? v : null;

    /// <summary>Clock ticks per second of /proc's counters (USER_HZ).</summary>
    private const double Ticks = 100;

    private static (long Busy, long Self, long Wall)? Read()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
            string[] cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long busy = 0;
            for (int i = 1; i < Math.Min(cpu.Length, 9); i++)
                if (i is not 4 and not 5) busy += long.Parse(cpu[i]);
            string self = File.ReadAllText("/proc/self/stat");
            string[] fields = self[(self.LastIndexOf(')') + 2)..].Split(' ');
            long own = long.Parse(fields[11]) + long.Parse(fields[12]);
            return (busy, own, Stopwatch.GetTimestamp());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }
}
