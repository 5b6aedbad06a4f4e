namespace FunctionalAD.Bench;

/// <summary>The bench's own switches; everything else goes to BenchmarkDotNet unchanged.</summary>
internal sealed record BenchOptions(bool Quick, bool Help, string? Output, string[] BenchmarkDotNetArgs, string Command)
{
    public const string Usage = """
        dotnet run -c Release --project bench/FunctionalAD.Bench [-- options]
          --quick            short job (2 warmups, 5 short iterations) for smoke testing
          --filter GLOB...   BenchmarkDotNet's filter, e.g. --filter '*W3*' '*MachineLimits*'
                             (classes: MachineLimits, W1_Tutorial, W2_LogisticRegression, W3_Mlp, W4_Elementwise)
          --out FILE         where to write the markdown report (default bench/results/latest.md,
                             or latest-quick.md with --quick)
          other options are BenchmarkDotNet's own (e.g. --list flat)
        """;

    public static BenchOptions Parse(string[] args)
    {
        bool quick = false, help = false;
        string? output = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--help" or "-h": help = true; break;
                case "--out" when i + 1 < args.Length: output = args[++i]; break;
                default: rest.Add(args[i]); break;
            }
        }
        // Without a filter BenchmarkDotNet asks interactively which benchmarks to run; the bench runs them all.
        if (!rest.Any(a => a is "--filter" or "-f")) rest.AddRange(["--filter", "*"]);
        string command = "dotnet run -c Release --project bench/FunctionalAD.Bench" +
                         (args.Length > 0 ? " -- " + string.Join(' ', args.Select(Quote)) : "");
        return new BenchOptions(quick, help, output, rest.ToArray(), command);
    }

    private static string Quote(string a) => a.Any(c => char.IsWhiteSpace(c) || c is '*' or '?') ? $"'{a}'" : a;
}
