namespace FunctionalAD.Bench;

/// <summary>The bench's own switches; everything else goes to BenchmarkDotNet unchanged.</summary>
/// <param name="Quick">Short job for smoke tests.</param>
/// <param name="Help">Print <see cref="Usage"/> and stop.</param>
/// <param name="Output">Where the markdown report goes; null for the default.</param>
/// <param name="OneCpu">Run the compiled cases again in a child process pinned to one CPU.</param>
/// <param name="Alone">Run compiled W3 on 1 and 2 threads again in a child process that never loads TorchSharp.</param>
/// <param name="AllThreads">Also time the tape, Eval and compiled Keras paths with 2 threads.</param>
/// <param name="Check">Only set up every path once, checking agreement with the peer, and time nothing.</param>
/// <param name="Probe">Run one diagnostic probe instead of the benchmarks: "threads" or "alloc" (see Probes/).</param>
/// <param name="Child">Which child process this is (none in the parent).</param>
/// <param name="ChildResults">Set only in a child: the JSON file its measurements go to.</param>
/// <param name="BenchmarkDotNetArgs">Arguments for BenchmarkDotNet, with a filter added when none was given.</param>
/// <param name="UserBenchmarkDotNetArgs">The BenchmarkDotNet arguments as the user gave them, for the child.</param>
/// <param name="Command">The command line, for the report.</param>
internal sealed record BenchOptions(bool Quick, bool Help, string? Output, bool OneCpu, bool Alone, bool AllThreads, bool Check, string? Probe,
    Children.ChildKind Child, string? ChildResults, string[] BenchmarkDotNetArgs, string[] UserBenchmarkDotNetArgs, string Command)
{
    public const string Usage = """
        dotnet run -c Release --project bench/FunctionalAD.Bench [-- options]
          --quick            short job (2 warmups, 5 short iterations) for smoke testing
          --check            time nothing: set up every path of every workload once, checking each against
                             the peer, and stop (about a minute; exit code 0 when all agree)
          --filter GLOB...   BenchmarkDotNet's filter, e.g. --filter '*W3*' '*MachineLimits*'
                             (classes: MachineLimits, W1_Tutorial, W2_LogisticRegression, W3_Mlp, W4_Elementwise;
                             methods: Compiled, CompiledKeras, Eval, Tape, Peer, FmaPeak, StreamRead)
          --all-threads      also time Tape, Eval and CompiledKeras with 2 threads (by default only Compiled
                             and Peer run with both 1 and 2 threads; the targets are for 1 thread)
          --no-one-cpu       skip the one-CPU case (the compiled cases again, in a child process run under
                             taskset -c 0 with DOTNET_PROCESSOR_COUNT=1)
          --no-alone         skip the ours-alone case (compiled W3 on 1 and 2 threads again, in a child process
                             that never loads TorchSharp, for the two-thread speed-up)
          --probe threads    time W3 compiled on 1 and 2 threads in short bursts, then again right after the
                             peer ran on 2 threads, listing which threads of the process used CPU meanwhile
          --probe alloc      repeat BenchmarkDotNet's allocation count for compiled W3/W4 and a control of the
                             same length that allocates nothing, splitting this thread's bytes from the others'
          --out FILE         where to write the markdown report (default bench/results/latest.md,
                             or latest-quick.md with --quick)
          other options are BenchmarkDotNet's own (e.g. --list flat)
        """;

    public static BenchOptions Parse(string[] args)
    {
        bool quick = false, help = false, oneCpu = true, alone = true, allThreads = false, check = false;
        string? output = null, childResults = null, probe = null;
        var child = Children.ChildKind.None;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--help" or "-h": help = true; break;
                case "--no-one-cpu": oneCpu = false; break;
                case "--no-alone": alone = false; break;
                case "--all-threads": allThreads = true; break;
                case "--check": check = true; break;
                case "--probe" when i + 1 < args.Length: probe = args[++i]; break;
                case "--out" when i + 1 < args.Length: output = args[++i]; break;
                case "--one-cpu-child" when i + 1 < args.Length: (child, childResults) = (Children.ChildKind.OneCpu, args[++i]); break;
                case "--alone-child" when i + 1 < args.Length: (child, childResults) = (Children.ChildKind.Alone, args[++i]); break;
                default: rest.Add(args[i]); break;
            }
        }
        string[] user = rest.ToArray();
        // Without a filter BenchmarkDotNet asks interactively which benchmarks to run; the bench runs them all.
        if (!rest.Any(a => a is "--filter" or "-f")) rest.AddRange(["--filter", "*"]);
        string command = "dotnet run -c Release --project bench/FunctionalAD.Bench" +
                         (args.Length > 0 ? " -- " + string.Join(' ', args.Select(Quote)) : "");
        return new BenchOptions(quick, help, output, oneCpu, alone, allThreads, check, probe, child, childResults, rest.ToArray(), user, command);
    }

    private static string Quote(string a) => a.Any(c => char.IsWhiteSpace(c) || c is '*' or '?') ? $"'{a}'" : a;
}
