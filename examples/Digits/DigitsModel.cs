using FunctionalAD;

namespace Digits;

/// <summary>
/// A classifier of the 8×8 digits as the training loop, the accuracy and the ONNX export use it: its parameter
/// variables, the logits of a batch of pixels (n, 64) and the mean cross-entropy against int32 labels. The MLP and the
/// CNN of examples/DigitsCnn are two; their starting values come from each model's static <c>Initial(seed)</c>.
/// </summary>
public interface IDigitsModel
{
    /// <summary>The parameter variables, in the order of the model's starting values.</summary>
    Expr[] Parameters { get; }

    /// <summary>The logits (n, 10) for a batch <paramref name="pixels"/> of shape (n, 64).</summary>
    Expr Logits(Expr pixels);

    /// <summary>Mean softmax cross-entropy from logits against int32 class labels.</summary>
    Expr Loss(Expr pixels, Expr labels);
}
