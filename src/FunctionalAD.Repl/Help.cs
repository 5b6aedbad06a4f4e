using System.Reflection;

namespace FunctionalAD.Repl;

/// <summary>The text of #help and #vars, built from what is loaded so it never goes stale.</summary>
public static class Help
{
    /// <summary>The REPL's commands, the preloaded namespaces, and the combinators and derivative functions by name.</summary>
    public static string Text(Session session)
    {
        static string Names(Type t) => string.Join(", ",
            t.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => !m.IsSpecialName).Select(m => m.Name).Distinct().Order());
        var lines = new List<string>
        {
            "Commands:  #help  this list    #vars  the variables defined so far    #quit  leave (or end of input)",
            "Input:     C# statements or an expression; an expression without ';' prints its value.",
            "           A line that leaves a bracket or statement open continues on the next; a blank line ends it.",
            $"Loaded:    using {string.Join("; using ", Session.Imports)}; {Session.Prelude}",
            "",
            "Expressions (Ex, used without prefix):",
            Wrap(Names(typeof(Ex))),
            "",
            "Derivatives and evaluation (Ad.):",
            Wrap(Names(typeof(Ad))),
            "",
            "TensorFlow style (tape, variables, losses, optimizers):",
            "  new GradientTape(persistent: false, watchAccessedVariables: true): Watch, Gradient(target, sources,",
            "  outputGradients, unconnectedGradients), Jacobian, BatchJacobian, StopRecording, Reset; dispose to end it.",
            "  new Variable(Tensor.Zeros(3), name: \"w\"): Value, Assign, AssignAdd, AssignSub; arithmetic on it is eager.",
            $"  Optimizers: {string.Join(", ", OptimizerNames())} (Apply(gradients, variables)); initialisers: Initializers.*",
            "",
            "Losses (Losses., Keras semantics: fromLogits, labelSmoothing, reduction, sampleWeight):",
            Wrap(Names(typeof(Losses))),
            "",
            "Seeing an expression:  e.ToString() math,  e.ToLatex() LaTeX,  e.ToDot() Graphviz",
            "Tensors:  Tensor.From(new[] { 1f, 2f }), Tensor.RandomNormal(new Shape(2, 3), seed: 1), Tensor.Zeros(2, 3)",
            "Example:  var x = Var(\"x\", 3);  var g = Ad.Grad(Sum(Tanh(x)), x)[0];  g.Eval(Env.Of((x, Tensor.From(new[] { 0f, 1f, 2f }))))",
            "Tape:     var v = new Variable(3f);  using var tape = new GradientTape();  var y = v * v;  tape.Gradient(y, v)",
        };
        return string.Join("\n", lines);
    }

    private static IEnumerable<string> OptimizerNames() =>
        typeof(Optimizer).Assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(Optimizer)) && !t.IsAbstract).Select(t => t.Name).Order();

    /// <summary>The variables the session has defined, with their types.</summary>
    public static string Variables(Session session)
    {
        var vars = session.Variables.ToList();
        return vars.Count == 0 ? "(no variables yet)" : string.Join("\n", vars.Select(v => $"{v.Name} : {v.Type.Name}"));
    }

    private static string Wrap(string text, int width = 100)
    {
        var lines = new List<string>();
        var line = "  ";
        foreach (var word in text.Split(' '))
        {
            if (line.Length + word.Length > width) { lines.Add(line.TrimEnd()); line = "  "; }
            line += word + " ";
        }
        lines.Add(line.TrimEnd());
        return string.Join("\n", lines);
    }
}
