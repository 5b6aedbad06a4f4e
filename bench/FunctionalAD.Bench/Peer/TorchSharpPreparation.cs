namespace FunctionalAD.Bench.Peer;

/// <summary>
/// Makes the TorchSharp native bridge loadable before any TorchSharp type is touched. Its
/// <c>libLibTorchSharp.so</c> asks for GLIBCXX_3.4.32 (for one symbol), which Debian 12's libstdc++ lacks;
/// marking that requirement weak in the copy in the output folder lets it load. The NuGet cache is never touched.
/// </summary>
public static class TorchSharpPreparation
{
    /// <summary>The bridge library that carries the too-new version requirement.</summary>
    public const string Library = "libLibTorchSharp.so";

    /// <summary>The libstdc++ version the library asks for but only uses for one start-up symbol.</summary>
    public const string TooNewVersion = "GLIBCXX_3.4.32";

    /// <summary>Patches the output copy (idempotent) and returns a one-line account for the report.</summary>
    public static string Prepare()
    {
        string path = Path.Combine(AppContext.BaseDirectory, Library);
        if (!OperatingSystem.IsLinux()) return "not Linux: no patch needed";
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"{Library} is not in the output folder {AppContext.BaseDirectory}; the project must build with RuntimeIdentifier linux-x64 so TorchSharp's native files are copied there", path);
        var outcome = ElfVersionPatcher.MarkVersionWeak(path, TooNewVersion);
        return outcome switch
        {
            ElfVersionPatcher.Outcome.Patched => $"{Library}: marked the {TooNewVersion} requirement weak (output copy)",
            ElfVersionPatcher.Outcome.AlreadyWeak => $"{Library}: {TooNewVersion} requirement already weak (output copy)",
            _ => $"{Library}: does not require {TooNewVersion}; left as is",
        };
    }
}
