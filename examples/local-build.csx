// dotnet-script syntax with a reference to the local build instead of the package:
//   dotnet build -c Release && dotnet run --project src/FunctionalAD.Repl -- --script examples/local-build.csx
#r "nuget: LanguageExt.Core, 4.4.9"
#r "nuget: System.Numerics.Tensors, 11.0.0"
#r "../src/FunctionalAD/bin/Release/net10.0/FunctionalAD.dll"

using FunctionalAD;
using static FunctionalAD.Ex;

// The Jacobian of softmax at a point: J = diag(s) - s sᵀ.
var z = Var64("z", 3);
var jacobian = Ad.Jacobian(Softmax(z), z);
var at = Env.Of((z, Tensor.From(new[] { 1.0, 2.0, 3.0 })));
Console.WriteLine($"softmax = {string.Join(" ", Softmax(z).Eval(at).ToDoubleArray())}");
Console.WriteLine($"jacobian = {string.Join(" ", jacobian.Eval(at).ToDoubleArray())}");
