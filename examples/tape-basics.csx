// dotnet-script syntax: run with `dotnet script examples/tape-basics.csx`, or with the bundled runner:
//   dotnet run --project src/FunctionalAD.Repl -- --script examples/tape-basics.csx
#r "nuget: FunctionalAD, 0.1.0"

using FunctionalAD;
using static FunctionalAD.Ex;

// The tutorial's first tape: y = x * w with x = 2, w = 1; dy/dw = x.
var w = Var("w");
var x = Const(2f);
var y = x * w;
var dy = Ad.Grad(y, w)[0];
Console.WriteLine($"dy/dw = {dy} = {dy.Eval(Env.Of((w, Tensor.Scalar(1f)))).ToScalar()}");

// Mean squared error of a linear model and its gradient, evaluated at one point.
var a = Var("a", 3);
var inputs = Const(Tensor.From(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new Shape(2, 3)));
var targets = Const(Tensor.From(new[] { 1f, 0f }));
var predictions = Reshape(MatMul(inputs, Reshape(a, 3, 1)), 2);
var mse = Mean(Square(predictions - targets));
var env = Env.Of((a, Tensor.From(new[] { 0.5f, -1f, 0.25f })));
Console.WriteLine($"mse = {mse.Eval(env).ToScalar()}");
Console.WriteLine($"dmse/da = {string.Join(" ", Ad.Grad(mse, a)[0].Eval(env).ToFloatArray())}");

// Functions to functions: the second derivative of sin is -sin.
Func<Expr, Expr> f = z => Sum(Sin(z));
var d2f = Ad.Grad(z => Sum(Ad.Grad(f)(z)));
var at = Var64("t", 2);
Console.WriteLine($"d2 sin = {string.Join(" ", d2f(at).Eval(Env.Of((at, Tensor.From(new[] { 0.5, 1.5 })))).ToDoubleArray())}");
