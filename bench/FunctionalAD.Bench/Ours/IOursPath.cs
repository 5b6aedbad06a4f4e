namespace FunctionalAD.Bench.Ours;

/// <summary>One way a FunctionalAD user gets a workload's loss gradients, set up once and then called per step.</summary>
public interface IOursPath
{
    /// <summary>One step: what is timed. Returns what the user reads afterwards (the gradients, and the loss where the path gives it).</summary>
    Tensor[] Run();

    /// <summary>The loss and then every gradient, from one step of this path; used only to check agreement before timing.</summary>
    Tensor[] ValuesForCheck();
}
