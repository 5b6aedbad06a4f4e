using FunctionalAD;
using static FunctionalAD.Ex;

namespace Digits;

/// <summary>
/// The one place the training computation is compiled and run: the loss and its gradients for a batch,
/// compiled once (fused kernels, reused buffers) and run per step with the batch and the current parameters.
/// </summary>
public sealed class TrainingStep
{
    private readonly CompiledFunction _compiled;

    /// <summary>Builds loss and gradients for batches of <paramref name="batchSize"/> and compiles them once.</summary>
    public TrainingStep(IDigitsModel model, int batchSize)
    {
        var x = Var("x", batchSize, DigitsSet.Features);
        var labels = Var("labels", new Shape(batchSize), DType.Int32);
        var parameters = model.Parameters;
        var loss = model.Loss(x, labels);
        var grads = Ad.Grad(loss, parameters);
        _compiled = Ad.Compile([loss, .. grads], [x, labels, .. parameters]);
    }

    /// <summary>The compiled plan, step by step (<see cref="CompiledFunction.Describe"/>).</summary>
    public string Describe() => _compiled.Describe();

    /// <summary>Steps that run through the interpreter instead of a compiled kernel (none expected).</summary>
    public IReadOnlyList<string> InterpretedSteps => _compiled.InterpretedSteps;

    /// <summary>The batch's mean loss and the gradient for each parameter, in order.</summary>
    public (double Loss, Tensor[] Gradients) Run(Tensor x, Tensor labels, IReadOnlyList<Tensor> parameters)
    {
        var outputs = _compiled.Run([x, labels, .. parameters]);
        return (outputs[0].ToScalar(), outputs[1..]);
    }
}
