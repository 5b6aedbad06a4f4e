namespace FunctionalAD.Bench.Workloads;

/// <summary>A named input of a workload and the value every path starts from.</summary>
public sealed record Input(string Name, Tensor Value);

/// <summary>
/// What a workload computes, apart from how it is run: its data and parameter values and its scalar loss,
/// written once with primitives (<see cref="Loss"/>) and, where one fits, once with Keras losses
/// (<see cref="KerasLoss"/>). Every path differentiates the loss with respect to the parameters, in order.
/// The loss builders take the data first and the parameters second, as expressions, so each path decides what
/// they are: variables bound per call, constants of the batch, or reads of <see cref="Variable"/>s on a tape.
/// </summary>
/// <param name="Data">Inputs that are not differentiated (features, int32 labels).</param>
/// <param name="Parameters">Inputs the gradients are taken for.</param>
/// <param name="Loss">The loss as the bench first wrote it, with primitives such as <c>LogSoftmax</c> and <c>OneHot</c>.</param>
/// <param name="KerasLoss">The same loss through <c>Losses.*</c>, as a TensorFlow user writes it; null when no Keras loss fits.</param>
public sealed record Model(
    Input[] Data,
    Input[] Parameters,
    Func<Expr[], Expr[], Expr> Loss,
    Func<Expr[], Expr[], Expr>? KerasLoss)
{
    /// <summary>Data then parameters: the order in which compiled functions take their inputs.</summary>
    public Input[] All => [.. Data, .. Parameters];

    /// <summary>The loss a user of the given style writes: Keras's where there is one, else the hand-written one.</summary>
    public Func<Expr[], Expr[], Expr> LossFor(bool keras) =>
        keras ? KerasLoss ?? throw new InvalidOperationException("this workload has no Keras loss") : Loss;
}
