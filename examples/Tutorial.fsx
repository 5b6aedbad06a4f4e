// The TensorFlow 2 GradientTape tutorial in F#, section by section. It prints what the C# version
// (examples/Tutorial) prints, line for line; a test runs both and compares them.
//   dotnet build -c Release && dotnet fsi examples/Tutorial.fsx        every section
//   dotnet fsi examples/Tutorial.fsx 3.3                               one section
#I "../src/FunctionalAD.FSharp/bin/Release/net10.0"
#r "FunctionalAD.dll"
#r "FunctionalAD.FSharp.dll"

open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp

/// 1.1 and 1.2: GradientTape(persistent, watch_accessed_variables), and unconnected_gradients (None, or zeros).
let tapeOptions () =
    let x = Variable(3.0f, "x")                                     // tf.Variable(3.)
    do
        use tape = new GradientTape(persistent = true)
        let y = x * x                                               // x² = 9
        let z = y * y                                               // x⁴ = 81
        printfn "dy/dx = %s" (Tape.variableGradient tape y x |> Tape.show)  // 2x = 6: a persistent tape answers twice
        printfn "dz/dx = %s" (Tape.variableGradient tape z x |> Tape.show)  // 4x³ = 108
    do
        use tape = new GradientTape(watchAccessedVariables = false)
        let y = x * x
        printfn "watch_accessed_variables=False: %s" (Tape.variableGradient tape y x |> Tape.show)
    do
        use tape = new GradientTape(watchAccessedVariables = false)
        Tape.watchVariables tape [ x ]
        let y = x * x
        printfn "watched by hand: %s" (Tape.variableGradient tape y x |> Tape.show)
    let w = Variable(1.0f, "w")
    use tape = new GradientTape(persistent = true)
    let y = x * 2.0f                                                // y does not depend on w
    printfn "unconnected, None: %s" (Tape.variableGradient tape y w |> Tape.show)
    printfn "unconnected, Zero: %O" (Tape.gradientOrZeros tape y w.Var)

/// 1.3: y = x·w, so dy/dw = x = 2.0; a constant must be watched, a Variable need not be.
let watchAndGradient () =
    let w = Const 1.0f                                              // tf.constant(1.)
    let x = Const 2.0f                                              // tf.constant(2.)
    do
        use tape = new GradientTape()
        Tape.watch tape [ w ]
        let y = x * w
        printfn "grad1 = %O" (tape.Gradient(y, [ w ]))
    do
        use tape = new GradientTape(persistent = true)              // without watch, a constant gets None
        let y = x * w
        printfn "unwatched constant: %O" (tape.Gradient(y, [ w ]))
    let wv = Variable(Const 1.0f, "w")                              // tf.Variable(tf.constant(1.))
    use tape = new GradientTape()
    let y = x * wv
    printfn "variable: %O" (tape.Gradient(y, [ wv ]))

/// 3.1: the mean squared error of one-hot targets and random outputs, three ways, which agree.
let mseFormulas () =
    let y = Cast(OneHot(Const(1, 2, 3, 0, 2), depth = 4), DType.Float32)   // tf.cast(tf.one_hot(y, depth=4), tf.float32)
    let out = Const(Tensor.RandomNormal(Shape(5, 4), seed = 1))            // tf.random.normal([5, 4])
    let loss1 = y - out |> Expr.square |> Expr.mean                         // tf.reduce_mean(tf.square(y - out))
    let loss2 = Square(Norm(y - out)) / (5 * 4)                             // tf.square(tf.norm(y - out)) / (5*4)
    let loss3 = Losses.MSE(y, out) |> Expr.mean                             // tf.reduce_mean(tf.losses.MSE(y, out))
    printfn "loss1 = %O" (Expr.value loss1)
    printfn "loss2 = %O" (Expr.value loss2)
    printfn "loss3 = %O" (Expr.value loss3)
    printfn "tf.losses.MSE(y, out) has shape %O: one loss per sample" (Losses.MSE(y, out)).Shape

/// 3.2: the gradient of the MSE between one-hot labels and softmax probabilities, with respect to w and b.
let mseGradient () =
    let x = Const(Tensor.RandomNormal(Shape(2, 4), seed = 2))      // tf.random.normal([2, 4])
    let w = Const(Tensor.RandomNormal(Shape(4, 3), seed = 3))      // tf.random.normal([4, 3])
    let b = Const(Tensor.Zeros 3)                                   // tf.zeros([3])
    let y = Const(2, 0)                                             // tf.constant([2, 0])
    use tape = new GradientTape()
    Tape.watch tape [ w; b ]
    let prob = Softmax(x *@ w + b, axis = 1)                        // tf.nn.softmax(x @ w + b, axis=1)
    let loss = Losses.MSE(OneHot(y, depth = 3), prob) |> Expr.mean
    let grads = tape.Gradient(loss, [ w; b ])
    printfn "loss = %O" (Expr.value loss)
    printfn "grads[0] = %O" grads.[0]
    printfn "grads[1] = %O" grads.[1]

/// 3.3: categorical and binary cross-entropy values, and cross-entropy straight from logits.
let crossEntropy () =
    let cce (yTrue: Expr) (yPred: Expr) = Losses.CategoricalCrossentropy(yTrue, yPred) |> Expr.value
    // Multi-class: a uniform guess costs 1.386, a wrong one 2.303, a right one 0.357.
    printfn "%O" (cce (Const(0, 1, 0, 0)) (Const(0.25f, 0.25f, 0.25f, 0.25f)))
    printfn "%O" (cce (Const(0, 1, 0, 0)) (Const(0.1f, 0.1f, 0.7f, 0.1f)))
    printfn "%O" (cce (Const(0, 1, 0, 0)) (Const(0.1f, 0.7f, 0.1f, 0.1f)))
    // Two classes: right (0.105) and wrong (2.303).
    printfn "%O" (Losses.BinaryCrossentropy(Const(1, 0), Const(0.9f, 0.1f)) |> Expr.value)
    printfn "%O" (cce (Const(1, 0)) (Const(0.1f, 0.9f)))
    // From logits: no softmax first, so nothing can overflow.
    let x = Const(Tensor.RandomNormal(Shape(1, 784), seed = 4))    // tf.random.normal([1, 784])
    let w = Const(Tensor.RandomNormal(Shape(784, 2), seed = 5))    // tf.random.normal([784, 2])
    let b = Const(Tensor.Zeros 2)                                   // tf.zeros([2])
    let logits = x *@ w + b                                         // x @ w + b
    let yTrue = Const(Tensor.ofRows [ [ 0.0f; 1.0f ] ])             // [[0, 1]]
    printfn "%O" (Losses.CategoricalCrossentropy(yTrue, logits, fromLogits = true) |> Expr.value)

/// 3.4: the gradient of the mean cross-entropy from logits; with logits of 1000, softmax then log overflows.
let crossEntropyGradient () =
    let x = Const(Tensor.RandomNormal(Shape(2, 4), seed = 6))      // tf.random.normal([2, 4])
    let w = Const(Tensor.RandomNormal(Shape(4, 3), seed = 7))      // tf.random.normal([4, 3])
    let b = Const(Tensor.Zeros 3)                                   // tf.zeros([3])
    let y = Const(2, 0)                                             // tf.constant([2, 0])
    do
        use tape = new GradientTape()
        Tape.watch tape [ w; b ]
        let logits = x *@ w + b
        let loss = Losses.CategoricalCrossentropy(OneHot(y, depth = 3), logits, fromLogits = true) |> Expr.mean
        match Tape.gradients tape loss [ w; b ] with
        | [ Some dw; Some db ] ->
            printfn "grads[0] = %O" dw
            printfn "grads[1] = %O" db
            printfn "sum of grads[1] = %O" (Expr.value (Sum db.Expr))
        | other -> failwithf "w and b were watched, yet: %A" other
    let big = Const(Tensor.ofRows [ [ 1000.0f; 0.0f ] ])
    let label = Const(Tensor.ofRows [ [ 0.0f; 1.0f ] ])
    let naive = -Sum(label * log (exp big / Sum(exp big, 1, keepDims = true)), 1)
    printfn "softmax then log, logits [1000, 0]: %O" (Expr.value naive)
    use tape = new GradientTape()
    Tape.watch tape [ big ]
    let loss = Losses.CategoricalCrossentropy(label, big, fromLogits = true)
    printfn "from_logits=True, logits [1000, 0]: %O" (Expr.value loss)
    printfn "its gradient: %s" (Tape.gradient tape loss big |> Tape.show)

/// Gradient descent, the tutorial's title: the 3.4 model with w and b as Variables, w ← w − lr·∂loss/∂w.
let gradientDescent () =
    let x = Const(Tensor.RandomNormal(Shape(2, 4), seed = 6))                  // tf.random.normal([2, 4])
    let w = Variable(Tensor.RandomNormal(Shape(4, 3), seed = 7), "w")          // tf.Variable(tf.random.normal([4, 3]))
    let b = Variable(Tensor.Zeros 3, "b")                                      // tf.Variable(tf.zeros([3]))
    let y = OneHot(Const(2, 0), depth = 3)                                     // tf.one_hot([2, 0], depth=3)
    let lr = 0.5f
    for step in 0..4 do
        use tape = new GradientTape()
        let loss = Losses.CategoricalCrossentropy(y, x *@ read w + read b, fromLogits = true) |> Expr.mean
        let grads = Tape.variableGradients tape loss [ w; b ]
        printfn "step %d: loss = %O" step (Expr.value loss)
        for v, g in List.zip [ w; b ] grads do
            g |> Option.iter (fun g -> v.AssignSub(g * lr) |> ignore)          // v.assign_sub(lr * g)
    printfn "b = %O" b

let eagerValues () =
    let v = Variable(3.0f, "v")                                                // v = tf.Variable(3.)
    let y = read v * 2.0f                                                      // y = v * 2: reads v now
    v.Assign(Tensor.Scalar 5.0f) |> ignore                                     // v.assign(5.)
    printfn "y = %O" (y.Eval())                                                // 6: y was computed from v = 3
    let w = Variable(0.0f, "w")
    let opt = Sgd(learningRate = 0.1)
    use tape = new GradientTape()
    let loss = Square(read w - 3.0f)
    let grads = Tape.variableGradients tape loss [ w ]
    opt.Apply(grads |> List.map Option.toObj, [ w ])                          // optimizer.apply_gradients
    printfn "loss = %O" (loss.Eval())                                          // the loss at w = 0, before the step
    printfn "w = %O" w

let sections =
    [ "1.1", "tape options and unconnected gradients", tapeOptions
      "1.3", "watch and gradient", watchAndGradient
      "3.1", "mean squared error, three ways", mseFormulas
      "3.2", "the gradient of MSE through softmax", mseGradient
      "3.3", "cross-entropy", crossEntropy
      "3.4", "the gradient of cross-entropy from logits", crossEntropyGradient
      "4", "gradient descent", gradientDescent
      "5", "eager values: computed values keep what they read", eagerValues ]

let chosen =
    match fsi.CommandLineArgs |> Array.tail |> List.ofArray with
    | [] -> sections
    | ids -> sections |> List.filter (fun (id, _, _) -> List.contains id ids)

if List.isEmpty chosen then
    eprintfn "unknown section; choose from %s" (sections |> List.map (fun (id, _, _) -> id) |> String.concat ", ")
    exit 1

for id, title, run in chosen do
    printfn "== %s %s ==" id title
    run ()
    printfn ""
