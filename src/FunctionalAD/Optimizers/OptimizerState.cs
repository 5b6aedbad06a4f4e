namespace FunctionalAD;

/// <summary>
/// The state of an optimizer between steps, for the functional style: how many steps were taken and, per
/// parameter, the optimizer's slots (SGD's velocity; Adam's first and second moments). Immutable: a step
/// returns a new state.
/// </summary>
/// <param name="Iterations">Steps taken so far (Keras's <c>optimizer.iterations</c>).</param>
/// <param name="Slots">Per parameter, its slot tensors, each shaped like the parameter.</param>
public sealed record OptimizerState(long Iterations, IReadOnlyList<IReadOnlyList<Tensor>> Slots);
