using Google.Protobuf;
using P = global::Onnx;

namespace FunctionalAD;

/// <summary>
/// Writes expressions as ONNX models that ONNX Runtime (or any ONNX backend) runs. A gradient is an expression,
/// so forward graphs, gradients and whole training steps (loss plus gradients) export alike, as one graph.
/// Each primitive maps itself to standard operators of the default domain (see docs/onnx.md for the table).
/// </summary>
public static class Onnx
{
    /// <summary>The opset written when none is asked for.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The newest opset the exporter writes.</summary>
    public const int MaxOpset = 21;

    /// <summary>
    /// The ONNX model computing <paramref name="outputs"/> (named output0, output1, ... in order) from
    /// <paramref name="inputs"/> (variables, named as they are). Constants become initializers.
    /// Throws a <see cref="FunctionalADException"/> naming a variable the outputs need that is not an input,
    /// or a primitive with no ONNX mapping; nothing is written then.
    /// </summary>
    public static byte[] ToBytes(IReadOnlyList<Expr> outputs, IReadOnlyList<Expr> inputs, int opset = DefaultOpset) =>
        Build(outputs, inputs, opset).ToByteArray();

    /// <summary>Writes the model of <see cref="ToBytes"/> to <paramref name="stream"/>.</summary>
    public static void Export(IReadOnlyList<Expr> outputs, IReadOnlyList<Expr> inputs, Stream stream, int opset = DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var model = Build(outputs, inputs, opset);
        model.WriteTo(stream);
    }

    /// <summary>Writes the model of <see cref="ToBytes"/> to the file <paramref name="path"/>, creating or replacing it.</summary>
    public static void Export(IReadOnlyList<Expr> outputs, IReadOnlyList<Expr> inputs, string path, int opset = DefaultOpset)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Built before the file opens, so a graph that cannot export leaves no file behind.
        var bytes = Build(outputs, inputs, opset).ToByteArray();
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Writes one output from the given inputs; see <see cref="ToBytes"/>.</summary>
    public static void Export(Expr output, IReadOnlyList<Expr> inputs, string path, int opset = DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(output);
        Export(new[] { output }, inputs, path, opset);
    }

    private static P.ModelProto Build(IReadOnlyList<Expr> outputs, IReadOnlyList<Expr> inputs, int opset)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (opset < DefaultOpset || opset > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), opset, $"ONNX export writes opsets {DefaultOpset} to {MaxOpset}");
        if (outputs.Count == 0) throw new ArgumentException("ONNX export: at least one output is needed", nameof(outputs));
        for (int i = 0; i < outputs.Count; i++)
            if (outputs[i] is null) throw new ArgumentNullException(nameof(outputs), $"output {i} is null");

        var b = new OnnxGraphBuilder(opset);
        var byName = new Dictionary<string, Var>();
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is not Var v) throw new ArgumentException($"ONNX export: input {i} is not a variable (Ex.Var) but {inputs[i]?.ToString() ?? "null"}", nameof(inputs));
            if (byName.TryGetValue(v.Name, out var other))
                throw new ArgumentException(ReferenceEquals(other, v)
                    ? $"ONNX export: variable '{v.Name}' is listed twice as an input"
                    : $"ONNX export: two different input variables are named '{v.Name}'; ONNX inputs need distinct names", nameof(inputs));
            byName[v.Name] = v;
            b.Input(v);
        }

        var values = outputs.Select(b.Value).ToArray();
        for (int i = 0; i < outputs.Count; i++)
        {
            var name = $"output{i}";
            b.Graph.Node.Add(new P.NodeProto { OpType = "Identity", Name = name, Input = { values[i] }, Output = { name } });
            b.Graph.Output.Add(OnnxGraphBuilder.ValueInfo(name, outputs[i]));
        }

        var model = new P.ModelProto
        {
            IrVersion = opset <= 18 ? 8 : opset <= 20 ? 9 : 10,
            ProducerName = "FunctionalAD",
            ProducerVersion = typeof(Expr).Assembly.GetName().Version?.ToString() ?? "",
            Graph = b.Graph,
        };
        model.OpsetImport.Add(new P.OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }
}
