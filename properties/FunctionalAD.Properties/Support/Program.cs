namespace FunctionalAD.Properties.Support;

/// <summary>
/// The test assembly's entry point, so a test can run part of it in a child process with another environment
/// (<see cref="OneCpuTests"/>: one CPU). Without arguments it does nothing, as the generated one did.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == OneCpuTests.Command)
        {
            Console.WriteLine($"processors {Environment.ProcessorCount}");
            Console.WriteLine(OneCpuTests.ComputeBits());
        }
        return 0;
    }
}
