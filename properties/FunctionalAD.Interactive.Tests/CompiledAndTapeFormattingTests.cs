using FunctionalAD.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Xunit;
using static FunctionalAD.Ex;

namespace FunctionalAD.Interactive.Tests;

public class CompiledAndTapeFormattingTests
{
    public CompiledAndTapeFormattingTests() => Render.Reset();

    [Fact]
    public void A_compiled_function_lists_its_inputs_outputs_and_one_item_per_step()
    {
        var x = Var("x", 8, 4);
        var w = Var("w", 4, 3);
        var loss = Mean(Tanh(MatMul(x, w)));
        var f = Ad.Compile(new[] { loss, Ad.Grad(loss, w)[0] }, x, w);
        Assert.Equal(f.Describe().TrimEnd(), Render.Plain(f));
        var html = Render.Xml(Render.Html(f));
        var steps = html.Descendants("ol").Single().Elements("li").ToArray();
        Assert.Equal(f.StepCount, steps.Length);
        Assert.Equal("0", (string)html.Descendants("ol").Single().Attribute("start")!);
        var listed = f.Describe().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Trim()).ToArray();
        for (int i = 0; i < steps.Length; i++) Assert.Equal(listed[i], $"{i}: {steps[i].Value}");
        var rows = html.Descendants("tr").Select(r => r.Elements("td").Select(c => c.Value).ToArray()).ToArray();
        Assert.Equal(new[] { "input", "x", "shape=(8, 4), dtype=float32" }, rows[0]);
        Assert.Equal(new[] { "input", "w", "shape=(4, 3), dtype=float32" }, rows[1]);
        Assert.Equal("output 1", rows[3][0]);
        Assert.Equal("shape=(4, 3), dtype=float32", rows[3][2]);
    }

    [Fact]
    public void A_tape_shows_its_mode_and_watched_variables()
    {
        var w = new Variable(Tensor.From(new[] { 1f, 2f }), name: "w_tape");
        var frozen = new Variable(Tensor.From(new[] { 3f }), name: "frozen", trainable: false);
        using var tape = new GradientTape(persistent: true);
        var y = Sum(w.Read() * w.Read()) + Sum(frozen.Read());
        Assert.Equal("GradientTape(persistent=True, watch_accessed_variables=True, recording) watching variables: [w_tape]", Render.Plain(tape));
        var html = Render.Html(tape);
        Assert.Contains("persistent", html);
        Assert.Contains("● recording", html);
        Assert.Contains("<code>w_tape</code>", html);
        Assert.DoesNotContain("frozen", html);
        tape.Dispose();
        Assert.Contains("not recording", Render.Plain(tape));
        GC.KeepAlive(y);
    }

    [Fact]
    public void A_variable_shows_its_name_type_and_value_table_and_prints_as_TensorFlow_does()
    {
        var v = new Variable(Tensor.From(new[] { 1f, 2f, 3f, 4f }, new Shape(2, 2)), name: "kernel<0>", trainable: false);
        Assert.Equal(v.ToString(), Render.Plain(v));
        var html = Render.Html(v);
        var xml = Render.Xml(html);
        Assert.Equal("kernel<0>", xml.Descendants("code").First().Value);
        Assert.Contains("not trainable", html);
        Assert.Equal(new[] { "1.", "2.", "3.", "4." }, xml.Descendants("td").Select(c => c.Value));
    }

    [Fact]
    public void Tape_results_show_their_values_and_a_missing_gradient_says_None()
    {
        var a = Const(Tensor.From(new[] { 1f, 2f }));
        var b = Const(Tensor.From(new[] { 5f, 7f }));
        using var tape = new GradientTape();
        tape.Watch(a, b);
        var y = Sum(a * a);
        var grads = tape.Gradient(y, new Expr[] { a, b });
        Assert.Equal(grads.ToString(), Render.Plain(grads));
        var html = Render.Xml(Render.Html(grads));
        Assert.Equal(new[] { "2.", "4." }, html.Descendants("td").Where(c => c.Parent!.Name == "tr" && c.Ancestors("table").Count() == 2).Select(c => c.Value));
        Assert.Contains("None", html.Value);
        var g = grads[0]!;
        Assert.Equal(g.ToString(), Render.Plain(g));
        Assert.Equal(new[] { "2.", "4." }, Render.Xml(Render.Html(g)).Descendants("td").Select(c => c.Value));
    }

    [Fact]
    public void An_eager_tensor_over_an_unbound_variable_shows_its_expression_and_what_is_missing()
    {
        var free = Var("free", 2);
        var t = EagerTensor.Of(free * 2f);
        var html = Render.Html(t);
        Assert.Contains("free", html);
        Assert.Contains("unbound", html);
        Render.Xml(html);
    }

    [Fact]
    public void Shapes_print_as_tuples()
    {
        Assert.Equal("(2, 3)", Render.Plain(new Shape(2, 3)));
        Assert.Equal("(2, 3)", Render.Html(new Shape(2, 3)));
    }
}
