// The tutorial's loss, mean softmax cross-entropy of x @ w + b, and its gradient as text, LaTeX and Graphviz.
//   dotnet run examples/render-loss.cs            (add `> loss.txt`, then cut out the dot part for `dot -Tsvg`)
#:project ../src/FunctionalAD/FunctionalAD.csproj

using FunctionalAD;
using static FunctionalAD.Ex;

var x = Const(Tensor.RandomNormal(new Shape(2, 4), seed: 1));   // two samples, four features
var w = Var("w", 4, 3);                                         // a dense layer to three classes
var b = Var("b", 3);
var y = Const(Tensor.From(new[] { 2, 0 }));                     // the samples' classes
var logits = MatMul(x, w) + b;
var loss = Mean(-Sum(OneHot(y, 3) * LogSoftmax(logits), 1));
var grads = Ad.Grad(loss, w, b);

Console.WriteLine("== text");
Console.WriteLine($"loss = {loss}");
Console.WriteLine($"dloss/dw = {grads[0]}");
Console.WriteLine($"dloss/db = {grads[1]}");

Console.WriteLine("== latex");
Console.WriteLine($"\\mathcal{{L}} = {loss.ToLatex()}");
Console.WriteLine($"\\frac{{\\partial \\mathcal{{L}}}}{{\\partial w}} = {grads[0].ToLatex()}");
Console.WriteLine($"\\frac{{\\partial \\mathcal{{L}}}}{{\\partial b}} = {grads[1].ToLatex()}");

Console.WriteLine("== dot");
Console.Write(Expr.ToDot(new[] { loss, grads[0], grads[1] }, new[] { "loss", "dloss/dw", "dloss/db" }));

Console.WriteLine("== values");
var env = Env.Of((w, Tensor.RandomNormal(new Shape(4, 3), seed: 2)), (b, Tensor.Zeros(3)));
var values = Ad.Eval(new[] { loss, grads[0], grads[1] }, env);
Console.WriteLine($"loss = {values[0]}");
Console.WriteLine($"dloss/dw = {values[1]}");
Console.WriteLine($"dloss/db = {values[2]}");
