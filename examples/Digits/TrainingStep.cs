using FunctionalAD;
using static FunctionalAD.Ex;

namespace Digits;

/// <summary>
/// The one place the training computation is compiled and run: the loss and its gradients for a batch,
/// lowered once into a plan and run per step with the batch and the current parameters bound.
/// </summary>
public sealed class TrainingStep
{
    private readonly Var _x;
    private readonly Var _labels;
    private readonly Var[] _parameters;
    private readonly Plan _plan;

    /// <summary>Builds loss and gradients for batches of <paramref name="batchSize"/> and lowers them once.</summary>
    public TrainingStep(Mlp model, int batchSize)
    {
        _x = Var("x", batchSize, DigitsSet.Features);
        _labels = Var("labels", new Shape(batchSize), DType.Int32);
        _parameters = model.Parameters;
        var loss = model.Loss(_x, _labels);
        var grads = Ad.Grad(loss, _parameters);
        _plan = Ad.Lower([loss, .. grads]);
    }

    /// <summary>The batch's mean loss and the gradient for each parameter, in order.</summary>
    public (double Loss, Tensor[] Gradients) Run(Tensor x, Tensor labels, IReadOnlyList<Tensor> parameters)
    {
        var env = Env.Of((_x, x), (_labels, labels));
        for (int i = 0; i < _parameters.Length; i++) env = env.Bind(_parameters[i], parameters[i]);
        var outputs = _plan.Run(env);
        return (outputs[0].ToScalar(), outputs[1..]);
    }
}
