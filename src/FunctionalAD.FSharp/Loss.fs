namespace FunctionalAD.FSharp

open FunctionalAD

/// <summary>
/// The Keras losses (<c>FunctionalAD.Losses</c>) curried with the prediction last, so a model pipes into its loss:
/// <c>x *@ w + b |&gt; Loss.categoricalCrossentropyFromLogits labels |&gt; Expr.mean</c>. Each gives one loss per
/// sample; the C# forms take the rest (label smoothing, reduction, sample weights).
/// </summary>
module Loss =

    /// <summary>mean((yTrue - yPred)²) over the last axis.</summary>
    let mse (yTrue: Expr) (yPred: Expr) : Expr = Losses.MSE(yTrue, yPred)

    /// <summary>mean(|yTrue - yPred|) over the last axis.</summary>
    let mae (yTrue: Expr) (yPred: Expr) : Expr = Losses.MAE(yTrue, yPred)

    /// <summary>-Σ yTrue · log yPred over the last axis, for probabilities (clipped at 1e-7, rows renormalised).</summary>
    let categoricalCrossentropy (yTrue: Expr) (yPred: Expr) : Expr = Losses.CategoricalCrossentropy(yTrue, yPred)

    /// <summary>-Σ yTrue · log softmax(logits) over the last axis, stable for any logits.</summary>
    let categoricalCrossentropyFromLogits (yTrue: Expr) (logits: Expr) : Expr =
        Losses.CategoricalCrossentropy(yTrue, logits, fromLogits = true)

    /// <summary>Categorical cross-entropy with int32 class labels instead of one-hot rows.</summary>
    let sparseCategoricalCrossentropy (labels: Expr) (yPred: Expr) : Expr = Losses.SparseCategoricalCrossentropy(labels, yPred)

    /// <summary>Sparse categorical cross-entropy from logits.</summary>
    let sparseCategoricalCrossentropyFromLogits (labels: Expr) (logits: Expr) : Expr =
        Losses.SparseCategoricalCrossentropy(labels, logits, fromLogits = true)

    /// <summary>-mean(y log p + (1 - y) log(1 - p)) over the last axis, for probabilities.</summary>
    let binaryCrossentropy (yTrue: Expr) (yPred: Expr) : Expr = Losses.BinaryCrossentropy(yTrue, yPred)

    /// <summary>Binary cross-entropy from logits: mean(max(z, 0) - z y + log(1 + e^-|z|)).</summary>
    let binaryCrossentropyFromLogits (yTrue: Expr) (logits: Expr) : Expr =
        Losses.BinaryCrossentropy(yTrue, logits, fromLogits = true)

    /// <summary>The Huber loss with threshold <paramref name="delta"/>: quadratic within it, linear beyond.</summary>
    let huber (delta: float) (yTrue: Expr) (yPred: Expr) : Expr = Losses.Huber(yTrue, yPred, delta)

    /// <summary>Σ yTrue · log(yTrue / yPred) over the last axis.</summary>
    let klDivergence (yTrue: Expr) (yPred: Expr) : Expr = Losses.KLDivergence(yTrue, yPred)
