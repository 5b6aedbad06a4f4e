namespace FunctionalAD;

/// <summary>How a loss turns per-sample values into its result, as Keras's <c>reduction</c> argument.</summary>
public enum LossReduction
{
    /// <summary>The per-sample losses themselves (what <c>tf.losses.MSE</c> and the other loss functions return).</summary>
    None,
    /// <summary>The sum of the (weighted) per-sample losses.</summary>
    Sum,
    /// <summary>
    /// The sum of the (weighted) per-sample losses divided by their number, Keras's "sum_over_batch_size",
    /// the default of the Keras loss classes. With weights it divides by the count, not by the weights' sum.
    /// </summary>
    SumOverBatchSize,
}
