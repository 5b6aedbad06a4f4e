// A tour of FunctionalAD from F#. Run after building:  dotnet build -c Release && dotnet fsi examples/tour.fsx
#I "../src/FunctionalAD.FSharp/bin/Release/net10.0"
#r "FunctionalAD.dll"
#r "FunctionalAD.FSharp.dll"

open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp

let show name (t: Tensor) = printfn "%s = %s" name (t.ToDoubleArray() |> Array.map (sprintf "%.6f") |> String.concat " ")

// F#'s own sin, exp, tanh, ** work on expressions; a function Expr -> Expr differentiates to a function.
let f (z: Expr) = Sum(sin z * z)
let df = grad f
let d2f = grad (df >> Expr.sum)

let x = var64 "x" [ 3 ]
let at = [ (x, Tensor.ofArray64 [| 0.0; 1.0; 2.0 |]) ]
printfn "f(x)   = %O" (f x)
printfn "f'(x)  = %O" (df x)
show "f'([0 1 2])" (eval at (df x))
show "f''([0 1 2])" (eval at (d2f x))

// Forward mode along a direction, reverse mode with a pullback, the Hessian as a matrix.
let _, tangent = jvp (fun z -> exp z * 2) x (constant (Tensor.ofArray64 [| 1.0; 0.5; 0.25 |]))
show "jvp" (eval at tangent)
let _, pullback = vjp tanh x
show "vjp" (eval at (pullback (constant (Tensor.ofArray64 [| 1.0; 1.0; 1.0 |]))))
show "hessian" (eval at (hessian (fun z -> Sum(z ** 3)) x))

// A linear layer in a pipeline: *@ is the matrix product; gradients come back as a list.
let w = var "w" [ 3; 2 ]
let b = var "b" [ 2 ]
let inputs = constant (Tensor.ofRows [ [ 1.0f; 2.0f; 3.0f ]; [ -1.0f; 0.0f; 1.0f ] ])
let loss = inputs *@ w + b |> Expr.relu |> Expr.square |> Expr.mean
let layer = [ w, Tensor.ofRows [ [ 0.1f; -0.2f ]; [ 0.3f; 0.4f ]; [ -0.5f; 0.6f ] ]; b, Tensor.ofArray [| 0.5f; -0.5f |] ]
show "loss" (eval layer loss)
match loss |> gradients [ w; b ] |> evalAll layer with
| [ dw; db ] -> show "dloss/dw" dw; show "dloss/db" db
| _ -> failwith "two gradients expected"
printfn "dloss/db as LaTeX: %s" ((loss |> gradient b).ToLatex())
