using System.Globalization;
using Digits;
using DigitsCnn;
using FunctionalAD;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static FunctionalAD.Ex;
using Tensor = FunctionalAD.Tensor;

// Exports a digits model's training step (mean loss and the gradient of every parameter) as one ONNX graph,
// runs it in ONNX Runtime on a batch, and takes one SGD step with the gradients ONNX Runtime computed.
// The MLP of examples/Digits, or with --model cnn the CNN of examples/DigitsCnn (convolutions, max pooling and their
// gradients export as ONNX Conv, ConvTranspose, MaxPool and ScatterElements).
//   dotnet run -c Release --project examples/OnnxExport [-- --model mlp|cnn --out digits-step.onnx --batch 64]
var inv = CultureInfo.InvariantCulture;
string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var kind = Arg("--model", "mlp");
var path = Path.GetFullPath(Arg("--out", $"digits-{kind}-step.onnx"));
int batch = int.Parse(Arg("--batch", "64"), inv);
(IDigitsModel model, Tensor[] parameters) = kind switch
{
    "mlp" => ((IDigitsModel)new Mlp(), Mlp.Initial(seed: 1)),
    "cnn" => (new Cnn(), Cnn.Initial(seed: 1)),
    _ => throw new ArgumentException($"--model must be mlp or cnn, got '{kind}'"),
};

var data = DigitsSet.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv")).Take(Enumerable.Range(0, batch).ToArray());
var x = Var("x", batch, DigitsSet.Features);
var labels = Var("labels", new Shape(batch), DType.Int32);
var loss = model.Loss(x, labels);
Expr[] outputs = [loss, .. Ad.Grad(loss, model.Parameters)];
Expr[] inputs = [x, labels, .. model.Parameters];
Onnx.Export(outputs, inputs, path);
Console.WriteLine($"exported the {kind} step, loss + {model.Parameters.Length} gradients, to {path} ({new FileInfo(path).Length / 1024} KiB)");

Tensor[] Feed(Tensor[] ps) => [data.PixelTensor(), data.LabelTensor(), .. ps];

float[][] RunOrt(Tensor[] values)
{
    using var session = new InferenceSession(path);
    var feeds = inputs.Select((v, i) => values[i].DType == DType.Int32
        ? NamedOnnxValue.CreateFromTensor(((Var)v).Name, new DenseTensor<int>(values[i].ToArray<int>(), values[i].Shape.ToArray()))
        : NamedOnnxValue.CreateFromTensor(((Var)v).Name, new DenseTensor<float>(values[i].ToArray<float>(), values[i].Shape.ToArray()))).ToList();
    using var results = session.Run(feeds);
    return results.Select(r => r.AsTensor<float>().ToArray()).ToArray();
}

var ort = RunOrt(Feed(parameters));
var ours = Ad.Eval(outputs, Env.Of(inputs.Zip(Feed(parameters)).ToArray()));
double maxDiff = Enumerable.Range(1, model.Parameters.Length)
    .Max(k => ours[k].ToArray<float>().Zip(ort[k], (a, b) => Math.Abs(a - b)).Max());
Console.WriteLine(string.Create(inv, $"loss  FunctionalAD {ours[0].ToScalar():F6}   ONNX Runtime {ort[0][0]:F6}   (largest gradient difference {maxDiff:E1})"));

// One SGD step with ONNX Runtime's gradients, then the loss again from both.
const float learningRate = 0.1f;
var stepped = parameters.Select((p, k) => Tensor.From(p.ToArray<float>().Zip(ort[k + 1], (w, g) => w - learningRate * g).ToArray(), p.Shape)).ToArray();
var after = Ad.Eval([loss], Env.Of(inputs.Zip(Feed(stepped)).ToArray()))[0].ToScalar();
Console.WriteLine(string.Create(inv, $"after one SGD step (lr {learningRate}): FunctionalAD {after:F6}   ONNX Runtime {RunOrt(Feed(stepped))[0][0]:F6}"));
