namespace FunctionalAD.Bench.Probes;

/// <summary>
/// CPU time each thread of this process has used, from <c>/proc/self/task/*/stat</c> (utime + stime, in clock
/// ticks of 10 ms): how a probe tells which threads ran while it timed something, ours or a library's.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>Milliseconds per clock tick (USER_HZ is 100 on every Linux this runs on).</summary>
    private const double TickMs = 10;

    /// <summary>Thread id to (name, CPU milliseconds so far); empty where /proc is missing.</summary>
    public static Dictionary<int, (string Name, double Ms)> Snapshot()
    {
        var result = new Dictionary<int, (string, double)>();
        if (!Directory.Exists("/proc/self/task")) return result;
        foreach (string dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
                string name = stat[(open + 1)..close];
                string[] fields = stat[(close + 2)..].Split(' ');
                // Fields after the name start at the state (field 3 of proc(5)); utime and stime are fields 14 and 15.
                double ms = (long.Parse(fields[11]) + long.Parse(fields[12])) * TickMs;
                result[int.Parse(Path.GetFileName(dir))] = (name, ms);
            }
            catch (IOException) { } // the thread ended between listing and reading
        }
        return result;
    }

    /// <summary>
    /// Threads that used at least <paramref name="minMs"/> of CPU between two snapshots, busiest first, as
    /// "name[tid] ms"; <paramref name="exclude"/> leaves out threads by name prefix.
    /// </summary>
    public static List<(int Tid, string Name, double Ms)> Delta(Dictionary<int, (string Name, double Ms)> before,
        Dictionary<int, (string Name, double Ms)> after, double minMs = 10, params string[] exclude)
    {
        var list = new List<(int, string, double)>();
        foreach (var (tid, (name, ms)) in after)
        {
            double used = ms - (before.TryGetValue(tid, out var b) ? b.Ms : 0);
            if (used >= minMs && !exclude.Any(name.StartsWith)) list.Add((tid, name, used));
        }
        return list.OrderByDescending(t => t.Item3).ToList();
    }

    /// <summary>Thread id to "name:switches" (voluntary plus involuntary context switches so far): which threads woke at all.</summary>
    public static Dictionary<int, string> Wakeups()
    {
        var result = new Dictionary<int, string>();
        if (!Directory.Exists("/proc/self/task")) return result;
        foreach (string dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                string name = "", switches = "0";
                long total = 0;
                foreach (string line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (line.StartsWith("Name:")) name = line[5..].Trim();
                    else if (line.Contains("ctxt_switches:")) total += long.Parse(line[(line.IndexOf(':') + 1)..].Trim());
                }
                switches = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
                result[int.Parse(Path.GetFileName(dir))] = $"{name}:{switches}";
            }
            catch (IOException) { }
        }
        return result;
    }

    /// <summary>Threads whose context-switch count changed between two <see cref="Wakeups"/>, as "name[tid] +n".</summary>
    public static string Woken(Dictionary<int, string> before, Dictionary<int, string> after)
    {
        var woken = new List<string>();
        foreach (var (tid, now) in after)
        {
            int colon = now.LastIndexOf(':');
            long n = long.Parse(now[(colon + 1)..]);
            long was = before.TryGetValue(tid, out var b) ? long.Parse(b[(b.LastIndexOf(':') + 1)..]) : 0;
            if (n != was) woken.Add($"{now[..colon]}[{tid}] +{n - was}");
        }
        return woken.Count == 0 ? "none" : string.Join(", ", woken);
    }

    /// <summary>
    /// Threads whose CPU affinity (Cpus_allowed_list) differs from the process's, as "name[tid] cpus": a library
    /// that pins its threads, or the thread that called it, would squeeze two of our threads onto one core.
    /// </summary>
    public static string Pinned()
    {
        string Allowed(string status) =>
            File.ReadLines(status).FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:"))?[18..].Trim() ?? "?";
        if (!File.Exists("/proc/self/status")) return "unknown";
        string process = Allowed("/proc/self/status");
        var pinned = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                string mine = Allowed(Path.Combine(dir, "status"));
                if (mine != process) pinned.Add($"{File.ReadAllText(Path.Combine(dir, "comm")).Trim()}[{Path.GetFileName(dir)}] {mine}");
            }
            catch (IOException) { }
        }
        return pinned.Count == 0 ? $"none (every thread may run on CPUs {process})" : string.Join(", ", pinned);
    }

    /// <summary>A delta as one line.</summary>
    public static string Format(IEnumerable<(int Tid, string Name, double Ms)> delta) =>
        string.Join(", ", delta.Select(t => $"{t.Name}[{t.Tid}] {t.Ms:F0} ms")) is { Length: > 0 } s ? s : "none";
}
