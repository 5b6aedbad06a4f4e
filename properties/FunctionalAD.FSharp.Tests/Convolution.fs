/// Convolution and pooling from F#: a small CNN written as a pipeline, its gradient checked against finite differences.
module FunctionalAD.FSharp.Tests.Convolution

open Xunit
open FunctionalAD
open FunctionalAD.FSharp

[<Fact>]
let ``a conv-relu-pool pipeline has the gradient finite differences give`` () =
    let x = Tensor.RandomNormal(Shape(2, 6, 6, 1), seed = 1L, dtype = DType.Float64)
    let f = Ex.Var("f", Shape(3, 3, 1, 2), DType.Float64)
    let loss (w: Expr) : Expr =
        Ex.Const x |> Nn.conv2d 1 "SAME" w |> tanh |> Nn.maxPool2d 2 2 "VALID" |> Nn.avgPool2d 3 1 "SAME" |> Expr.sum
    let g = Ad.Grad(loss f, f).[0]
    let fv = Tensor.RandomNormal(f.Shape, seed = 2L, dtype = DType.Float64)
    let analytic = g.Eval(struct (f, fv)).ToArray<float>()
    let values = fv.ToArray<float>()
    let at (v: float array) : float = (loss (Ex.Const(Tensor.From(v, f.Shape)))).Eval().ToArray<float>().[0]
    for i in 0 .. values.Length - 1 do
        let h = 1e-6
        let up = Array.copy values
        let down = Array.copy values
        up.[i] <- up.[i] + h
        down.[i] <- down.[i] - h
        Assert.Equal((at up - at down) / (2.0 * h), analytic.[i], 5)
