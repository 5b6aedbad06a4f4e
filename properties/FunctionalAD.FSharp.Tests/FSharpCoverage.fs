/// The F# module covers the public surface: every public static member of Ex, Losses and Ad has an F# form
/// (checked here to build the same expression or compute the same value as the C# call) or a written reason why not.
module FunctionalAD.FSharp.Tests.FSharpCoverage

open System
open System.Reflection
open Xunit
open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp
open FunctionalAD.FSharp.Tests.Numbers

let x = Var("cov_x", 2, 3)
let y = Var("cov_y", 2, 3)
let v = Var("cov_v", 3)
let m = Var("cov_m", 3, 2)
let labels = Var("cov_labels", Shape(2), DType.Int32)
let bindings =
    [ x, Tensor.ofRows [ [ 0.5f; -1.0f; 2.0f ]; [ 1.5f; 0.25f; -0.75f ] ]
      y, Tensor.ofRows [ [ -0.5f; 1.0f; 0.125f ]; [ 2.5f; -1.25f; 0.5f ] ]
      v, Tensor.ofArray [| 0.3f; -0.6f; 0.9f |]
      m, Tensor.ofRows [ [ 1.0f; 2.0f ]; [ -1.0f; 0.5f ]; [ 0.0f; 3.0f ] ]
      labels, Tensor.From [| 2; 0 |] ]

/// The same node (interning makes equal expressions one object), or the same shape and values where a form
/// makes constants, which are never interned.
let agree (fsharp: Expr) (csharp: Expr) =
    obj.ReferenceEquals(fsharp, csharp)
    || (fsharp.Shape = csharp.Shape && fsharp.DType = csharp.DType
        && close 1e-6 1e-6 (eval bindings fsharp |> Tensor.toArray) (eval bindings csharp |> Tensor.toArray))

let same (a: Tensor) (b: Tensor) = a.Shape = b.Shape && close 1e-6 1e-6 (Tensor.toArray a) (Tensor.toArray b)

/// Member (Type.Name) → checks that its F# forms agree with it.
let checks : (string * (unit -> bool)) list =
    let probs = Expr.sigmoid x
    let truth = Expr.sigmoid y
    let f (z: Expr) = Sum(sin z * z)
    let loss = Sum(tanh x * y)
    [ // leaves
      "Ex.Var", (fun () -> agree (var "cov_x" [ 2; 3 ]) x && agree (Var("cov_x", Shape(2, 3))) x)
      "Ex.Var64", (fun () -> agree (var64 "cov_x" [ 2 ]) (Var64("cov_x", 2)))
      "Ex.Const", (fun () -> let t = Tensor.ofArray [| 1.0f; 2.0f |] in agree (constant t) (Const t) && (constant t :? Const))
      "Ex.Fill", (fun () -> agree (Expr.fill 2.5 [ 2; 3 ]) (Fill(2.5, Shape(2, 3))))
      "Ex.Zeros", (fun () -> agree (Expr.zeros [ 2; 3 ]) (Zeros(Shape(2, 3))))
      "Ex.Ones", (fun () -> agree (Expr.ones [ 2; 3 ]) (Ones(Shape(2, 3))))
      "Ex.ZerosLike", (fun () -> agree (Expr.zerosLike x) (ZerosLike x))
      "Ex.OnesLike", (fun () -> agree (Expr.onesLike x) (OnesLike x))
      // F#'s own functions and operators
      "Ex.Abs", (fun () -> agree (abs x) (Abs x))
      "Ex.Sin", (fun () -> agree (sin x) (Sin x))
      "Ex.Cos", (fun () -> agree (cos x) (Cos x))
      "Ex.Exp", (fun () -> agree (exp x) (Exp x))
      "Ex.Log", (fun () -> agree (log (abs x + 1.0f)) (Log(Abs x + 1.0f)))
      "Ex.Sqrt", (fun () -> agree (sqrt (abs x)) (Sqrt(Abs x)))
      "Ex.Tanh", (fun () -> agree (tanh x) (Tanh x))
      "Ex.Negate", (fun () -> agree (-x) (Negate x))
      "Ex.Add", (fun () -> agree (x + y) (Add(x, y)))
      "Ex.Subtract", (fun () -> agree (x - y) (Subtract(x, y)))
      "Ex.Multiply", (fun () -> agree (x * y) (Multiply(x, y)))
      "Ex.Divide", (fun () -> agree (x / y) (Divide(x, y)))
      "Ex.Pow", (fun () -> agree (x ** 2.0f) (Pow(x, 2.0f)) && agree (abs x |> Expr.pow y) (Pow(Abs x, y)))
      "Ex.Greater", (fun () -> agree (x .> y) (Greater(x, y)))
      "Ex.GreaterEqual", (fun () -> agree (x .>= y) (GreaterEqual(x, y)))
      "Ex.Less", (fun () -> agree (x .< y) (Less(x, y)))
      "Ex.LessEqual", (fun () -> agree (x .<= y) (LessEqual(x, y)))
      "Ex.Equal", (fun () -> agree (x .= y) (Equal(x, y)))
      "Ex.NotEqual", (fun () -> agree (x .<> y) (NotEqual(x, y)))
      // element-wise
      "Ex.Square", (fun () -> agree (Expr.square x) (Square x))
      "Ex.Relu", (fun () -> agree (Expr.relu x) (Relu x))
      "Ex.Sigmoid", (fun () -> agree (Expr.sigmoid x) (Sigmoid x))
      "Ex.Softplus", (fun () -> agree (Expr.softplus x) (Softplus x))
      "Ex.Sign", (fun () -> agree (Expr.sign x) (Sign x))
      "Ex.StopGradient", (fun () -> agree (Expr.stopGradient x) (StopGradient x))
      "Ex.Maximum", (fun () -> agree (x |> Expr.maximum y) (Maximum(x, y)))
      "Ex.Minimum", (fun () -> agree (x |> Expr.minimum y) (Minimum(x, y)))
      "Ex.TieShare", (fun () -> agree (x |> Expr.tieShare y) (TieShare(x, y)))
      "Ex.Where", (fun () -> agree (x .> y |> Expr.where x y) (Where(Greater(x, y), x, y)))
      "Ex.Cast", (fun () -> agree (x |> Expr.cast DType.Float64) (Cast(x, DType.Float64)))
      // reductions
      "Ex.Sum", (fun () -> agree (Expr.sum x) (Sum x) && agree (Expr.sumAlong 1 x) (Sum(x, 1)) && agree (Expr.sumOver [ 0; 1 ] true x) (Sum(x, [| 0; 1 |], true)))
      "Ex.Mean", (fun () -> agree (Expr.mean x) (Mean x) && agree (Expr.meanAlong 0 x) (Mean(x, 0)) && agree (Expr.meanOver [ 1 ] true x) (Mean(x, [| 1 |], true)))
      "Ex.Max", (fun () -> agree (Expr.max x) (Max x) && agree (Expr.maxAlong 1 x) (Max(x, 1)) && agree (Expr.maxOver [ 0 ] true x) (Max(x, [| 0 |], true)))
      "Ex.Min", (fun () -> agree (Expr.min x) (Min x) && agree (Expr.minAlong 1 x) (Min(x, 1)) && agree (Expr.minOver [ 0 ] true x) (Min(x, [| 0 |], true)))
      "Ex.LogSumExp", (fun () -> agree (Expr.logSumExp x) (LogSumExp x) && agree (Expr.logSumExpAlong 1 x) (LogSumExp(x, 1)) && agree (Expr.logSumExpOver [ 0 ] true x) (LogSumExp(x, [| 0 |], true)))
      "Ex.Norm", (fun () -> agree (Expr.norm x) (Norm x) && agree (Expr.normOver [ 1 ] false x) (Norm(x, [| 1 |])))
      // softmax and labels
      "Ex.Softmax", (fun () -> agree (Expr.softmax x) (Softmax x) && agree (Expr.softmaxAlong 0 x) (Softmax(x, 0)))
      "Ex.LogSoftmax", (fun () -> agree (Expr.logSoftmax x) (LogSoftmax x) && agree (Expr.logSoftmaxAlong 0 x) (LogSoftmax(x, 0)))
      "Ex.SoftmaxCrossEntropyWithLogits", (fun () -> agree (x |> Expr.softmaxCrossEntropyWithLogits truth) (SoftmaxCrossEntropyWithLogits(truth, x)))
      "Ex.OneHot", (fun () -> agree (labels |> Expr.oneHot 3) (OneHot(labels, 3)))
      // indexing
      "Ex.ArgMax", (fun () -> agree (x |> Indexing.argmax 1) (ArgMax(x, 1)))
      "Ex.ArgMin", (fun () -> agree (x |> Indexing.argmin 0) (ArgMin(x, 0)))
      "Ex.Gather", (fun () -> agree (x |> Indexing.gather 1 labels) (Gather(x, labels, 1)) && agree (x |> Indexing.gatherBatched 1 1 (Reshape(labels, 2, 1))) (Gather(x, Reshape(labels, 2, 1), 1, 1)))
      "Ex.GatherNd", (fun () -> agree (x |> Indexing.gatherNd (Reshape(labels, 2, 1))) (GatherNd(x, Reshape(labels, 2, 1))))
      "Ex.ScatterNdAdd", (fun () -> let i = Reshape(Const(Tensor.From [| 1; 0 |]), 2, 1) in agree (x |> Indexing.scatterNdAdd i y) (ScatterNdAdd(x, i, y)))
      "Ex.Index", (fun () -> agree x.[1, 0..1] (Index(x, Ix.op_Implicit 1, Ix.op_Implicit(System.Range(System.Index 0, System.Index 2)))) && agree x.[*, 2] (Index(x, Ix.op_Implicit(System.Range.All), Ix.op_Implicit 2)))
      "Ex.TopK", (fun () -> let v, i = x |> Indexing.topK 2 in let struct (cv, ci) = TopK(x, 2) in agree v cv && agree i ci)
      "Ex.Embedding", (fun () -> agree (labels |> Indexing.embedding m) (Embedding(m, labels)))
      // products and layout
      "Ex.MatMul", (fun () -> agree (x *@ m) (MatMul(x, m)) && agree (x |> Expr.matmul m) (MatMul(x, m)))
      "Ex.Transpose", (fun () -> agree (Expr.transpose x) (Transpose x) && agree (Expr.permute [ 1; 0 ] x) (Transpose(x, 1, 0)))
      "Ex.Reshape", (fun () -> agree (Expr.reshape [ 3; -1 ] x) (Reshape(x, 3, -1)) && agree (Expr.reshape [ 6 ] x) (Reshape(x, Shape(6))))
      "Ex.BroadcastTo", (fun () -> agree (v |> Expr.broadcastTo [ 2; 3 ]) (BroadcastTo(v, Shape(2, 3))))
      "Ex.SumTo", (fun () -> agree (x |> Expr.sumTo [ 3 ]) (SumTo(x, Shape(3))))
      "Ex.Concat", (fun () -> agree (Expr.concat 1 [ x; y ]) (Concat([| x; y |], 1)))
      "Ex.Slice", (fun () -> agree (x |> Expr.slice [ 0; 1 ] [ 2; -1 ]) (Slice(x, [| 0; 1 |], [| 2; -1 |])))
      "Ex.Pad", (fun () -> agree (x |> Expr.pad [ 1; 0 ] [ 0; 2 ]) (Pad(x, [| 1; 0 |], [| 0; 2 |])))
      // losses: the prediction last
      "Losses.MeanSquaredError", (fun () -> agree (probs |> Loss.mse truth) (Losses.MeanSquaredError(truth, probs)))
      "Losses.MSE", (fun () -> agree (probs |> Loss.mse truth) (Losses.MSE(truth, probs)))
      "Losses.MeanAbsoluteError", (fun () -> agree (probs |> Loss.mae truth) (Losses.MeanAbsoluteError(truth, probs)))
      "Losses.MAE", (fun () -> agree (probs |> Loss.mae truth) (Losses.MAE(truth, probs)))
      "Losses.CategoricalCrossentropy",
      (fun () ->
          agree (probs |> Loss.categoricalCrossentropy truth) (Losses.CategoricalCrossentropy(truth, probs))
          && agree (x |> Loss.categoricalCrossentropyFromLogits truth) (Losses.CategoricalCrossentropy(truth, x, fromLogits = true)))
      "Losses.SparseCategoricalCrossentropy",
      (fun () ->
          agree (Expr.softmax x |> Loss.sparseCategoricalCrossentropy labels) (Losses.SparseCategoricalCrossentropy(labels, Softmax x))
          && agree (x |> Loss.sparseCategoricalCrossentropyFromLogits labels) (Losses.SparseCategoricalCrossentropy(labels, x, fromLogits = true)))
      "Losses.BinaryCrossentropy",
      (fun () ->
          agree (probs |> Loss.binaryCrossentropy truth) (Losses.BinaryCrossentropy(truth, probs))
          && agree (x |> Loss.binaryCrossentropyFromLogits truth) (Losses.BinaryCrossentropy(truth, x, fromLogits = true)))
      "Losses.Huber", (fun () -> agree (x |> Loss.huber 0.5 y) (Losses.Huber(y, x, 0.5)))
      "Losses.KLDivergence", (fun () -> agree (probs |> Loss.klDivergence truth) (Losses.KLDivergence(truth, probs)))
      // derivatives
      "Ad.Grad", (fun () -> agree (loss |> gradients [ x ] |> List.head) (Ad.Grad(loss, x).[0]) && agree (grad f x) (Ad.Grad(Func<Expr, Expr> f).Invoke x))
      "Ad.GradOf", (fun () -> agree (loss |> gradient (tanh x)) (Ad.GradOf(loss, tanh x).[0]))
      "Ad.ValueAndGrad",
      (fun () ->
          let struct (cv, cg) = Ad.ValueAndGrad(loss, x, y)
          let fv, fg = loss |> valueAndGradients [ x; y ]
          let struct (lv, lg) = Ad.ValueAndGrad(Func<Expr, Expr> f).Invoke x
          agree fv cv && List.forall2 agree fg (List.ofArray cg) && agree (fst (valueAndGrad f x)) lv && agree (snd (valueAndGrad f x)) lg)
      "Ad.Vjp",
      (fun () ->
          let u = Expr.onesLike x * 0.5f
          let struct (_, pullback) = Ad.Vjp(Func<Expr, Expr> tanh, x)
          agree (tanh x |> vjpOf [ x ] u |> List.head) (Ad.Vjp(tanh x, u, x).[0]) && agree ((snd (vjp tanh x)) u) (pullback.Invoke u))
      "Ad.Jvp",
      (fun () ->
          let t = Expr.onesLike x * 0.5f
          let struct (_, tangent) = Ad.Jvp(Func<Expr, Expr> tanh, x, t)
          agree (tanh x |> jvpOf [ x, t ]) (Ad.Jvp(tanh x, x, t)) && agree (snd (jvp tanh x t)) tangent)
      "Ad.Jacobian", (fun () -> agree (tanh v |> jacobianOf v) (Ad.Jacobian(tanh v, v)) && agree (jacobian tanh v) (Ad.Jacobian(Func<Expr, Expr> tanh).Invoke v))
      "Ad.Hessian", (fun () -> agree (Sum(v ** 3) |> hessianOf v) (Ad.Hessian(Sum(v ** 3), v)) && agree (hessian (fun z -> Sum(z ** 3)) v) (Ad.Hessian(Func<Expr, Expr>(fun z -> Sum(z ** 3))).Invoke v))
      // custom rules: the same value and the same (rule-given) gradient as the C# form
      "Ad.CustomVjp",
      (fun () ->
          let fs = customVjp "cov_vjp" (fun z -> Sum(sin z)) (fun z _ g -> g * cos z * 2.0f)
          let cs = Ad.CustomVjp(Func<Expr, Expr>(fun z -> Sum(sin z)), Func<Expr, Expr, Expr, Expr>(fun z _ g -> g * cos z * 2.0f), "cov_vjp")
          agree (fs v) (cs.Invoke v) && agree (grad fs v) (grad (fun z -> cs.Invoke z) v))
      "Ad.CustomJvp",
      (fun () ->
          let fs = customJvp "cov_jvp" (fun z -> Sum(sin z)) (fun z t -> Sum(t * cos z) * 2.0f)
          let cs = Ad.CustomJvp(Func<Expr, Expr>(fun z -> Sum(sin z)), Func<Expr, Expr, Expr>(fun z t -> Sum(t * cos z) * 2.0f), "cov_jvp")
          let t = Expr.onesLike v
          agree (fs v) (cs.Invoke v) && agree (snd (jvp fs v t)) (snd (jvp (fun z -> cs.Invoke z) v t)))
      "Ad.CustomGradient",
      (fun () ->
          let fs = customGradient "cov_grad" (fun z -> Sum(sin z), fun g -> g * cos z * 3.0f)
          let cs = Ad.CustomGradient(Func<Expr, struct (Expr * Func<Expr, Expr>)>(fun z -> struct (Sum(sin z), Func<Expr, Expr>(fun g -> g * cos z * 3.0f))), "cov_grad")
          agree (fs v) (cs.Invoke v) && agree (grad fs v) (grad (fun z -> cs.Invoke z) v))
      "Ex.CustomGradient",
      (fun () ->
          let rule = Func<Expr, struct (Expr * Func<Expr, Expr>)>(fun z -> struct (Sum(sin z), Func<Expr, Expr>(fun g -> g * cos z * 3.0f)))
          agree (grad (customGradient "cov_grad_ex" (fun z -> Sum(sin z), fun g -> g * cos z * 3.0f)) v) (grad (fun z -> CustomGradient(z, rule, "cov_grad_ex")) v))
      "Ad.Simplify", (fun () -> agree (simplify (x * 1.0f + 0.0f)) (Ad.Simplify(x * 1.0f + 0.0f)))
      // evaluation
      "Ad.Eval",
      (fun () ->
          let env = env bindings
          same (eval bindings loss) (Ad.Eval(loss, env)) && List.forall2 same (evalAll bindings [ loss; x ]) (List.ofArray (Ad.Eval([| loss; x |], env)))
          && same (evalChecked bindings loss) (Ad.Eval(loss, env, checkFinite = true)))
      "Ad.TryEval",
      (fun () ->
          match tryEvalAll bindings [ loss ], tryEvalAll [] [ loss ] with
          | Ok [ t ], Error(:? MissingBindingException) -> same t (Ad.TryEval([| loss |], env bindings).Match((fun (ts: Tensor[]) -> ts.[0]), (fun e -> failwith (string e))))
          | other -> failwithf "tryEvalAll: %A" other)
      "Ad.Compile",
      (fun () ->
          let values = [| snd bindings.[0]; snd bindings.[1] |]
          same ((compile [ x; y ] [ loss ]).Run(values).[0]) (Ad.Compile([| loss |], x, y).Run(values).[0]))
      // convolution and pooling (module Nn)
      "Ex.Conv2D", (fun () ->
          let img = Var("cov_img", 1, 5, 5, 2)
          let f = Var("cov_f", 3, 3, 2, 4)
          agree (img |> Nn.conv2d 2 "SAME" f) (Conv2D(img, f, 2, "SAME"))
          && agree (img |> Nn.conv2dWith [ 1; 2 ] "VALID" [ 2 ] f) (Conv2D(img, f, [| 1; 2 |], "VALID", [| 2 |])))
      "Ex.Conv2DBackpropInput", (fun () ->
          let dy = Var("cov_dy", 1, 3, 3, 4)
          let f = Var("cov_f", 3, 3, 2, 4)
          agree (dy |> Nn.conv2dBackpropInput (Shape(1, 5, 5, 2)) [ 2 ] "SAME" f) (Conv2DBackpropInput(Shape(1, 5, 5, 2), f, dy, [| 2 |], "SAME")))
      "Ex.Conv2DBackpropFilter", (fun () ->
          let img = Var("cov_img", 1, 5, 5, 2)
          let dy = Var("cov_dy", 1, 3, 3, 4)
          agree (Nn.conv2dBackpropFilter (Shape(3, 3, 2, 4)) [ 2 ] "SAME" img dy) (Conv2DBackpropFilter(img, Shape(3, 3, 2, 4), dy, [| 2 |], "SAME")))
      "Ex.Conv2DTranspose", (fun () ->
          let dy = Var("cov_dy", 1, 3, 3, 4)
          let f = Var("cov_f", 3, 3, 2, 4)
          agree (dy |> Nn.conv2dTranspose (Shape(1, 5, 5, 2)) [ 2 ] "SAME" f) (Conv2DTranspose(dy, f, Shape(1, 5, 5, 2), [| 2 |], "SAME")))
      "Ex.Conv1D", (fun () ->
          let s = Var("cov_seq", 2, 7, 3)
          let f = Var("cov_f1", 3, 3, 2)
          agree (s |> Nn.conv1d 2 "SAME" f) (Conv1D(s, f, 2, "SAME")))
      "Ex.MaxPool2D", (fun () ->
          let img = Var("cov_img", 1, 5, 5, 2)
          agree (img |> Nn.maxPool2d 2 2 "SAME") (MaxPool2D(img, 2, 2, "SAME")))
      "Ex.AvgPool2D", (fun () ->
          let img = Var("cov_img", 1, 5, 5, 2)
          agree (img |> Nn.avgPool2d 3 1 "SAME") (AvgPool2D(img, 3, 1, "SAME")))
      "Ad.Lower", (fun () -> same ((lower [ loss ]).Run(env bindings).[0]) (Ad.Lower(loss).Run(env bindings).[0]))
      // element-wise, scans, sorting and normalisation (the Nn module; F#'s own atan2)
      "Ex.Log1p", (fun () -> agree (Nn.log1p (abs x)) (Log1p(Abs x)))
      "Ex.Expm1", (fun () -> agree (Nn.expm1 x) (Expm1 x))
      "Ex.Erf", (fun () -> agree (Nn.erf x) (Erf x))
      "Ex.Gelu", (fun () -> agree (Nn.gelu x) (Gelu x) && agree (Nn.geluApprox x) (Gelu(x, true)))
      "Ex.Softsign", (fun () -> agree (Nn.softsign x) (Softsign x))
      "Ex.LogSigmoid", (fun () -> agree (Nn.logSigmoid x) (LogSigmoid x))
      "Ex.Elu", (fun () -> agree (Nn.elu 0.5 x) (Elu(x, 0.5)))
      "Ex.LeakyRelu", (fun () -> agree (Nn.leakyRelu 0.2 x) (LeakyRelu x))
      "Ex.Atan2", (fun () -> agree (atan2 x y) (Atan2(x, y)))
      "Ex.ClipByValue", (fun () -> agree (Nn.clip -0.5 0.5 x) (ClipByValue(x, -0.5, 0.5)))
      "Ex.CumSum", (fun () -> agree (Nn.cumsum 1 x) (CumSum(x, 1)) && agree (Nn.cumsumWith 1 true true x) (CumSum(x, 1, true, true)))
      "Ex.CumProd", (fun () -> agree (Nn.cumprod 1 x) (CumProd(x, 1)) && agree (Nn.cumprodWith 0 true false x) (CumProd(x, 0, true, false)))
      "Ex.LinearScan", (fun () -> agree (y |> Nn.linearScan 1 x) (LinearScan(x, y, 1)))
      "Ex.Dropout", (fun () -> agree (Nn.dropout 0.5 3L x) (Dropout(x, 0.5, 3L)))
      "Ex.DropoutMask", (fun () -> same (Nn.dropoutMask 0.5 3L [ 2; 3 ]) (DropoutMask(Shape(2, 3), 0.5, 3L)))
      "Ex.Variance", (fun () -> agree (Nn.variance [ 1 ] x) (Variance(x, [| 1 |])))
      "Ex.Moments",
      (fun () ->
          let struct (mean, variance) = Moments(x, [| 0 |])
          let fm, fv = Nn.moments [ 0 ] x
          agree fm mean && agree fv variance)
      "Ex.LayerNormalization",
      (fun () ->
          agree (Nn.layerNorm v v x) (LayerNormalization(x, v, v))
          && agree (Nn.layerNormOver [ 0; 1 ] (Expr.onesLike x) (Expr.zerosLike x) x) (LayerNormalization(x, OnesLike x, ZerosLike x, [| 0; 1 |])))
      "Ex.Sort", (fun () -> agree (Nn.sort x) (Sort x) && agree (Nn.sortDescending x) (Sort(x, true)))
      "Ex.ArgSort", (fun () -> agree (Nn.argsort x) (ArgSort x) && agree (Nn.argsortDescending x) (ArgSort(x, true)))
      "Ex.PermuteRows",
      (fun () ->
          let p = ArgSort y
          agree (Nn.permuteRows p x) (PermuteRows(x, p)) && agree (Nn.permuteRowsInverse p x) (PermuteRows(x, p, true))) ]

/// Members with no F# form of their own, and why. Empty today; a member added to Ex, Losses or Ad goes either in
/// `checks` (with its F# form) or here (with a reason a reviewer accepts).
let exemptions : (string * string) list = []

let publicMembers =
    [ typeof<Ex>; typeof<Losses>; typeof<Ad> ]
    |> List.collect (fun t ->
        t.GetMethods(BindingFlags.Public ||| BindingFlags.Static ||| BindingFlags.DeclaredOnly)
        |> Array.filter (fun mi -> not mi.IsSpecialName)
        |> Array.map (fun mi -> $"{t.Name}.{mi.Name}")
        |> List.ofArray)
    |> List.distinct

[<Fact>]
let ``every public static member of Ex, Losses and Ad has an F# form or a written reason`` () =
    let covered = set (List.map fst checks) + set (List.map fst exemptions)
    let missing = publicMembers |> List.filter (fun n -> not (covered.Contains n))
    Assert.True(List.isEmpty missing, sprintf "no F# form (add one to src/FunctionalAD.FSharp and to `checks`, or a reason to `exemptions`): %s" (String.Join(", ", missing)))
    let stale = covered - set publicMembers
    Assert.True(Set.isEmpty stale, sprintf "listed but not public members any more: %s" (String.Join(", ", stale)))
    for name, reason in exemptions do
        Assert.False(String.IsNullOrWhiteSpace reason, $"{name} is exempt without a reason")

[<Fact>]
let ``each F# form builds the same expression or computes the same value as its C# member`` () =
    let failing = checks |> List.filter (fun (_, check) -> not (check ())) |> List.map fst
    Assert.True(List.isEmpty failing, sprintf "F# forms that disagree with C#: %s" (String.Join(", ", failing)))
