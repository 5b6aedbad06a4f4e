namespace FunctionalAD.Bench.Workloads;

/// <summary>Marks a workload whose <see cref="Model.KerasLoss"/> is null, so its compiled Keras-loss case is not run.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WithoutKerasLossAttribute : Attribute;
