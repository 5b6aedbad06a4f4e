using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using FunctionalAD.Properties.Support;

namespace FunctionalAD.Properties;

/// <summary>
/// Ill-shaped and ill-typed input always raises the right FunctionalADException, never a .NET exception from deep
/// inside and never a silent answer, with a message that names the operation, the shapes, and the subexpression.
/// </summary>
public class BadInputTests
{
    [Property(MaxTest = 300)]
    public Property Bad_input_raises_a_FunctionalADException_that_says_what_is_wrong() => Prop.ForAll(BadCalls.Any.ToArbitrary(), c =>
    {
        Exception? caught = null;
        try { c.Call(); }
        catch (Exception e) { caught = e; }
        if (caught is null) throw new PropertyFailure("no error was raised: the bad input gave an answer");
        if (caught is not FunctionalADException)
            throw new PropertyFailure($"raised {caught.GetType().Name}, not a FunctionalADException: {caught.Message}");
        if (!c.Expected.IsInstanceOfType(caught))
            throw new PropertyFailure($"raised {caught.GetType().Name}, expected {c.Expected.Name}: {caught.Message}");
        var missing = c.MustMention.Where(m => !caught.Message.Contains(m, StringComparison.Ordinal)).ToArray();
        if (missing.Length > 0)
            throw new PropertyFailure($"the message does not mention {string.Join(", ", missing.Select(m => $"\"{m}\""))}:\n{caught.Message}");
    });
}
