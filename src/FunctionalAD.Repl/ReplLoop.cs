using System.Text;

namespace FunctionalAD.Repl;

/// <summary>
/// The interactive loop: reads lines until they form a complete C# submission, runs it, prints its value or
/// its errors, and goes on with the state it had. <c>#help</c> lists what is there; <c>#quit</c> or end of input exits.
/// </summary>
/// <param name="input">Where lines come from.</param>
/// <param name="output">Where prompts, values and errors go.</param>
/// <param name="echo">Write each line read after its prompt, so piped input gives a transcript that reads like a session.</param>
public sealed class ReplLoop(TextReader input, TextWriter output, bool echo = false)
{
    private const string Prompt = "> ", Continuation = "* ";

    /// <summary>Runs until <c>#quit</c> or end of input; returns the process exit code.</summary>
    public async Task<int> RunAsync()
    {
        var session = new Session();
        output.WriteLine($"FunctionalAD REPL on .NET {Environment.Version}. FunctionalAD and `using static FunctionalAD.Ex;` are loaded.");
        output.WriteLine("Type C# and press Enter; an unfinished line continues on the next. #help lists what is there, #quit leaves.");
        var buffer = new StringBuilder();
        while (true)
        {
            output.Write(buffer.Length == 0 ? Prompt : Continuation);
            output.Flush();
            var line = await input.ReadLineAsync();
            if (line is not null && echo) output.WriteLine(line);
            if (line is null)
            {
                output.WriteLine();
                if (buffer.Length > 0) await Evaluate(session, buffer.ToString());
                return 0;
            }
            if (buffer.Length == 0)
            {
                switch (line.Trim())
                {
                    case "": continue;
                    case "#quit" or "#exit": return 0;
                    case "#help": output.WriteLine(Help.Text(session)); continue;
                    case "#vars": output.WriteLine(Help.Variables(session)); continue;
                }
            }
            buffer.AppendLine(line);
            var code = buffer.ToString();
            // A blank line ends a submission that is still open, so a typo cannot trap the user in continuation.
            if (!Session.IsComplete(code) && line.Trim().Length > 0) continue;
            buffer.Clear();
            await Evaluate(session, code);
        }
    }

    private async Task Evaluate(Session session, string code)
    {
        var outcome = await session.SubmitAsync(code);
        if (!outcome.Succeeded)
            foreach (var e in outcome.Errors) output.WriteLine(e);
        else if (outcome.HasValue)
            output.WriteLine(ValueFormatter.Format(outcome.Value));
    }
}
