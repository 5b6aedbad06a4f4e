using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using FunctionalAD;
using FunctionalAD.Properties.Generators;
using FunctionalAD.Properties.Support;
using Xunit;
using Xunit.Abstractions;

namespace FunctionalAD.Properties;

/// <summary>
/// The fuzz suite: ill-formed calls across the whole public API (<see cref="FuzzCalls"/>). Each call either succeeds
/// with a value that agrees with a reference computed without the library (where the template has one), or raises
/// one of FunctionalAD's exceptions (or an ArgumentNullException/ArgumentOutOfRangeException the library throws
/// itself, naming the parameter). Never a foreign exception, never a hang, and never an answer for input the
/// template knows is invalid. 2,000 cases by default; FUNCTIONALAD_FUZZ_CASES=100000 is the long run
/// (docs/errors.md), which prints the count of each outcome.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    /// <summary>What one call did.</summary>
    public enum Outcome { OwnException, Valid, Foreign, Hang, Mismatch, SilentlyAccepted }

    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    /// <summary>Runs the call and classifies what it did; the message says why for the failing outcomes.</summary>
    public static (Outcome Outcome, string Message) Classify(FuzzCall c)
    {
        object? result = null;
        Exception? caught = null;
        var task = Task.Run(() =>
        {
            try { result = c.Call(); }
            catch (Exception e) { caught = e; }
        });
        if (!task.Wait(HangLimit)) return (Outcome.Hang, $"no answer after {HangLimit.TotalSeconds} s");
        if (caught is AggregateException { InnerExceptions.Count: 1 } agg) caught = agg.InnerException;
        if (caught is not null)
            return IsOwn(caught) ? (Outcome.OwnException, caught.Message) : (Outcome.Foreign, caught.ToString());
        if (c.Invalid) return (Outcome.SilentlyAccepted, $"returned {Describe(result)} for invalid input");
        var diff = c.Check?.Invoke(result);
        return diff is null ? (Outcome.Valid, "") : (Outcome.Mismatch, diff);
    }

    /// <summary>
    /// A FunctionalADException, or an ArgumentNullException / ArgumentOutOfRangeException naming a parameter and
    /// thrown by FunctionalAD itself: every frame above the first FunctionalAD frame belongs to the exception type's
    /// own throw helpers (ThrowIfNull), so one raised deep inside the BCL (a null reaching LINQ) does not count.
    /// The JIT may inline a small library method into the template that calls it; the first frame is then the
    /// template's own (namespace FunctionalAD.Properties), which calls nothing but the library.
    /// </summary>
    public static bool IsOwn(Exception e)
    {
        if (e is FunctionalADException) return true;
        if (e is not (ArgumentNullException or ArgumentOutOfRangeException) || ((ArgumentException)e).ParamName is null) return false;
        foreach (var frame in new StackTrace(e).GetFrames())
        {
            var type = frame.GetMethod()?.DeclaringType;
            if (type?.Namespace is { } ns && (ns == "FunctionalAD" || ns.StartsWith("FunctionalAD.", StringComparison.Ordinal))) return true;
            if (type is null || !typeof(ArgumentException).IsAssignableFrom(type)) return false;
        }
        return false;
    }

    private static string Describe(object? r) => r switch
    {
        null => "null",
        Tensor t => t.ToString(),
        Array a => $"{a.GetType().Name}[{a.Length}]",
        _ => r.GetType().Name,
    };

    private static int Cases =>
        int.TryParse(Environment.GetEnvironmentVariable("FUNCTIONALAD_FUZZ_CASES"), out var n) && n > 0 ? n : 2000;

    [Fact]
    public void Every_call_gives_a_right_answer_or_the_library_s_own_error()
    {
        var counts = Enum.GetValues<Outcome>().ToDictionary(o => o, _ => 0);
        var examples = new Dictionary<Outcome, string>();
        var failures = new List<string>();
        // Every case runs (no stop at the first failure), so one run reports all kinds of failure at once.
        var config = Config.QuickThrowOnFailure.WithMaxTest(Cases).WithStartSize(Cases);
        Prop.ForAll(FuzzCalls.Any.ToArbitrary(), c =>
        {
            var (outcome, message) = Classify(c);
            counts[outcome]++;
            examples.TryAdd(outcome, $"{c.Description}: {message.Split('\n')[0]}");
            if (outcome is not (Outcome.OwnException or Outcome.Valid) && failures.Count < 30)
                failures.Add($"{outcome}: {c.Description}\n{string.Join("\n", message.Split('\n').Take(6))}");
        }).Check(config);
        var line = $"{Cases} calls: " + string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"));
        output.WriteLine(line);
        foreach (var (k, v) in examples) output.WriteLine($"  e.g. {k}: {v}");
        var summary = Environment.GetEnvironmentVariable("FUNCTIONALAD_FUZZ_SUMMARY");
        if (!string.IsNullOrEmpty(summary)) File.WriteAllText(summary, line + "\n" + string.Join("\n", examples.Select(kv => $"  e.g. {kv.Key}: {kv.Value}")) + "\n");
        if (failures.Count > 0) throw new PropertyFailure(line + "\n\n" + string.Join("\n\n", failures));
    }

    [Fact]
    public void A_null_reaching_the_BCL_is_not_counted_as_the_library_s_own_error()
    {
        Exception Catch(Action a) { try { a(); } catch (Exception e) { return e; } throw new InvalidOperationException("no exception"); }
        Assert.False(IsOwn(Catch(() => Enumerable.Select<int, int>(null!, x => x).ToArray())));
        Assert.True(IsOwn(Catch(() => Tensor.From((double[])null!))));
        Assert.True(IsOwn(Catch(() => Ex.Slice(null!, new[] { 0 }, new[] { 1 }))));
    }
}
