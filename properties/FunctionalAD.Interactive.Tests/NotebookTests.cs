using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.DotNet.Interactive.Formatting;
using Xunit;

namespace FunctionalAD.Interactive.Tests;

public class NotebookTests
{
    private const string CSharpNotebook = "examples/notebooks/functionalad-tour.ipynb";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public NotebookTests() => Formatter.ResetToDefault();

    private static JsonNode Json(string relative) => JsonNode.Parse(File.ReadAllText(Repo.Path(relative)))!;

    [Fact]
    public void The_CSharp_notebook_is_valid_nbformat_4_with_the_dotnet_kernelspec()
    {
        Assert.Empty(NotebookJson.Problems(Json(CSharpNotebook), ".net-csharp", "C#"));
        var doc = NotebookRunner.Read(Repo.Path(CSharpNotebook));
        // .NET Interactive's own reader gives every code cell to the C# kernel.
        var code = doc.Elements.Where(e => e.KernelName != "markdown").ToArray();
        Assert.All(code, e => Assert.Equal("csharp", e.KernelName));
        Assert.True(code.Length >= 10, "the tour has its code cells");
        Assert.Contains("#r \"nuget: FunctionalAD.Interactive", code[0].Contents);
    }

    [Fact]
    public void The_FSharp_notebook_is_valid_nbformat_4_with_the_dotnet_kernelspec()
    {
        // Its cells run in properties/FunctionalAD.FSharp.Tests (Notebooks.fs), through dotnet fsi.
        Assert.Empty(NotebookJson.Problems(Json("examples/notebooks/functionalad-fsharp.ipynb"), ".net-fsharp", "F#"));
        var doc = NotebookRunner.Read(Repo.Path("examples/notebooks/functionalad-fsharp.ipynb"));
        Assert.All(doc.Elements.Where(e => e.KernelName != "markdown"), e => Assert.Equal("fsharp", e.KernelName));
    }

    [Fact]
    public void The_validity_check_catches_what_it_checks()
    {
        var broken = Json(CSharpNotebook);
        broken["nbformat"] = 3;
        broken["cells"]![1]!["id"] = broken["cells"]![0]!["id"]!.GetValue<string>();
        broken["cells"]![1]!.AsObject().Remove("outputs");
        broken["metadata"]!["kernelspec"]!["name"] = "python3";
        var problems = NotebookJson.Problems(broken, ".net-csharp", "C#");
        Assert.Contains(problems, p => p.Contains("nbformat must be 4"));
        Assert.Contains(problems, p => p.Contains("is used twice"));
        Assert.Contains(problems, p => p.Contains("kernelspec.name"));
    }

    [Fact]
    public async Task Every_code_cell_of_the_CSharp_notebook_runs_and_shows_what_its_text_says()
    {
        var runs = await NotebookRunner.RunCSharp(Repo.Path(CSharpNotebook));
        if (Environment.GetEnvironmentVariable("FUNCTIONALAD_WRITE_NOTEBOOK_OUTPUTS") == "1") WriteOutputs(CSharpNotebook, runs);

        string[] Mimes(CellRun r) => r.Displayed.SelectMany(d => d.FormattedValues).Concat(r.Result ?? Array.Empty<FormattedValue>()).Select(f => f.MimeType).ToArray();
        string Value(CellRun r, string mime) => r.Result!.Single(f => f.MimeType == mime).Value;
        CellRun Cell(string code) => runs.First(r => r.Code.Contains(code, StringComparison.Ordinal));

        // Loading the package registered the formatters: an expression ending a cell shows as typeset math.
        var logits = Cell("var logits = MatMul(x, w) + b;");
        Assert.Equal(new[] { "text/latex", "text/plain" }, Mimes(logits));
        Assert.Contains("\\mathbb{R}^{2 \\times 3}", Value(logits, "text/latex"));

        var equations = Cell("var grads = Ad.Grad(loss, w, b);");
        Assert.StartsWith("$$\\mathcal{L} = ", equations.Displayed[0].FormattedValues[0].Value);
        Assert.StartsWith("$$\\frac{\\partial \\mathcal{L}}{\\partial b} = ", equations.Displayed[1].FormattedValues[0].Value);

        var numbers = Cell("var values = Ad.Eval(");
        Assert.Contains("background-color", numbers.Displayed[1].FormattedValues[0].Value);   // the heatmap

        // 3.1: a Variable read while the tape records is watched.
        var watch = Cell("tape.Watch([w0]);");
        Assert.Contains("watching variables: [w]", watch.Displayed.Select(d => d.FormattedValues.Single(f => f.MimeType == "text/plain").Value).ElementAt(2));
        Assert.Contains("None", watch.Displayed.Last().FormattedValues.Single(f => f.MimeType == "text/plain").Value);

        // 3.2: the three MSE formulas print one number.
        var mse = Cell("var mse1 = ");
        var printed = mse.Displayed.Select(d => d.FormattedValues.Single(f => f.MimeType == "text/plain").Value).Append(Value(mse, "text/plain")).ToArray();
        Assert.Equal(3, printed.Length);
        // They agree to float32 rounding: the three formulas sum in different orders.
        var numbers3 = printed.Select(p => double.Parse(System.Text.RegularExpressions.Regex.Match(p, @"tf\.Tensor\(([-0-9.e+]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.All(numbers3, v => Assert.Equal(numbers3[0], v, Math.Abs(numbers3[0]) * 1e-6));

        // 3.4: the naive loss overflows to NaN, the one from logits does not.
        var ce = Cell("var big = Const(");
        Assert.Contains("nan", ce.Displayed.Last().FormattedValues.Single(f => f.MimeType == "text/plain").Value);
        Assert.Equal("tf.Tensor([1000.], shape=(1,), dtype=float32)", Value(ce, "text/plain"));

        // The training chart: one line per series, forty epochs, and the clusters are learned.
        var training = Cell("var history = new TrainingHistory(");
        var chart = training.Displayed.Single(d => d.Value is TrainingHistory);
        Assert.True(chart.IsUpdated, "the chart is updated in place each epoch");
        Assert.Equal("", training.Console);                      // updates redraw the display; nothing is printed
        var history = (TrainingHistory)chart.Value;
        Assert.Equal(40, history["loss"].Count);
        var accuracy = history.Values("accuracy");
        Assert.Equal(1 / 3.0, accuracy[0], 9);                  // zero weights: every score ties, every point goes to class 0
        Assert.True(accuracy[^1] >= 0.85, $"final accuracy {accuracy[^1]}");
        Assert.True(history.Values("loss")[^1] < history.Values("loss")[0] / 2);
        var svg = XElement.Parse(chart.FormattedValues.Single(f => f.MimeType == "text/html").Value).Element(Svg + "svg")!;
        Assert.Equal(2, svg.Descendants(Svg + "polyline").Count());

        // The compiled function lists its steps, and its loss equals the tape's last one to float precision.
        var compiled = Cell("var step = Ad.Compile(");
        Assert.Contains("<ol start=\"0\"", compiled.Displayed[0].FormattedValues[0].Value);
        var compiledLoss = double.Parse(Value(compiled, "text/plain").Split('(', ',')[1], CultureInfo.InvariantCulture);
        Assert.True(compiledLoss < history.Values("loss")[^1], "one more step after the last recorded loss lowers it");

        // The settings cell cuts the 50x50 table and summarises the 2x1000 tensor.
        var settings = Cell("NotebookSettings.MaxTableRows = 6;");
        Assert.Contains("…", settings.Displayed[0].FormattedValues[0].Value);
        Assert.Contains(" ... ", settings.Displayed[1].FormattedValues.Single(f => f.MimeType == "text/plain").Value);
        Assert.Equal(1000, Interactive.NotebookSettings.SummaryThreshold);   // and Reset() put them back

        // Committed outputs, if any, match what the cells show now, MIME type for MIME type.
        var cells = Json(CSharpNotebook)["cells"]!.AsArray();
        foreach (var run in runs)
        {
            var outputs = cells[run.Element]!["outputs"]!.AsArray();
            if (outputs.Count == 0) continue;
            var stored = outputs.Where(o => o!["output_type"]!.GetValue<string>() != "stream").SelectMany(o => o!["data"]!.AsObject().Select(kv => kv.Key)).ToArray();
            Assert.Equal(Mimes(run), stored);
        }
    }

    /// <summary>
    /// Writes what the cells showed into the notebook's outputs, so the file reads with its results where a
    /// notebook is viewed without a kernel (GitHub, nbviewer). Run the test with FUNCTIONALAD_WRITE_NOTEBOOK_OUTPUTS=1.
    /// </summary>
    private static void WriteOutputs(string relative, IReadOnlyList<CellRun> runs)
    {
        var root = Json(relative);
        var cells = root["cells"]!.AsArray();
        int count = 0;
        foreach (var run in runs)
        {
            var outputs = new JsonArray();
            count++;
            if (run.Console.Length > 0)
                outputs.Add(new JsonObject { ["name"] = "stdout", ["output_type"] = "stream", ["text"] = Lines(run.Console) });
            foreach (var d in run.Displayed)
                outputs.Add(new JsonObject { ["data"] = Bundle(d.FormattedValues), ["metadata"] = new JsonObject(), ["output_type"] = "display_data" });
            if (run.Result is { } result)
                outputs.Add(new JsonObject { ["data"] = Bundle(result), ["execution_count"] = count, ["metadata"] = new JsonObject(), ["output_type"] = "execute_result" });
            cells[run.Element]!["execution_count"] = count;
            cells[run.Element]!["outputs"] = outputs;
        }
        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        File.WriteAllText(Repo.Path(relative), text.Replace("\r\n", "\n") + "\n");
    }

    private static JsonObject Bundle(IEnumerable<FormattedValue> values)
    {
        var o = new JsonObject();
        foreach (var v in values) o[v.MimeType] = Lines(v.Value);
        return o;
    }

    private static JsonArray Lines(string text)
    {
        var parts = text.Replace("\r\n", "\n").Split('\n');
        var a = new JsonArray();
        for (int i = 0; i < parts.Length; i++)
            if (i < parts.Length - 1) a.Add(parts[i] + "\n");
            else if (parts[i].Length > 0) a.Add(parts[i]);
        return a;
    }
}
