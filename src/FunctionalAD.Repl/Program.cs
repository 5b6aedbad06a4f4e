using FunctionalAD.Repl;

// dotnet run --project src/FunctionalAD.Repl                       → interactive C# REPL
// dotnet run --project src/FunctionalAD.Repl -- --script file.csx  → runs a dotnet-script style file
if (args.Length >= 1 && args[0] is "--script" or "-s")
{
    if (args.Length < 2)
    {
        Console.Error.WriteLine("usage: FunctionalAD.Repl --script file.csx");
        return 2;
    }
    return await ScriptRunner.RunAsync(args[1], Console.Out, Console.Error);
}
if (args.Length >= 1 && args[0] is "--help" or "-h")
{
    Console.WriteLine("usage: FunctionalAD.Repl                 interactive C# with FunctionalAD preloaded (#help inside)");
    Console.WriteLine("       FunctionalAD.Repl --script f.csx  run a C# script (dotnet-script syntax: #r \"nuget: …\", #r \"path.dll\", #load)");
    return 0;
}
return await new ReplLoop(Console.In, Console.Out, echo: Console.IsInputRedirected).RunAsync();
