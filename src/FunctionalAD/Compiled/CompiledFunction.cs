using System.Text;

namespace FunctionalAD;

/// <summary>
/// Expressions compiled once (by <see cref="Ad.Compile"/>) into a fixed schedule of allocation-free kernels over
/// preallocated memory, to be run many times: typically a loss and its gradients, [loss, ..Ad.Grad(loss, w, b)].
/// Immutable and safe to call from several threads at once: each call borrows its own workspace from a pool.
/// </summary>
/// <remarks>
/// Compiling folds everything that depends on constants only, fuses chains of element-wise operations
/// (with their row-wise log-sum-exp, softmax and reductions) into single passes over cache-sized tiles, runs
/// matrix products through the blocked GEMM, and packs intermediate values into one arena whose slots are
/// reused as soon as a value is dead. See <see cref="Describe"/> for the resulting plan.
/// </remarks>
public sealed class CompiledFunction
{
    internal readonly Step[] Steps;
    internal readonly Array[] ConstData;
    internal readonly int ArenaF, ArenaD, ArenaI, TileF, TileD;
    private readonly Var[] _inputs;
    private readonly Expr[] _outputs;
    private readonly IReadOnlyList<Var> _inputView;
    private readonly IReadOnlyList<Expr> _outputView;
    private readonly Workspace?[] _pool;
    private readonly Shape?[] _checkedShapes;

    internal CompiledFunction(Var[] inputs, Expr[] outputs, Step[] steps, Array[] consts,
        int arenaF, int arenaD, int arenaI, int tileF, int tileD)
    {
        _inputs = inputs;
        _outputs = outputs;
        _inputView = Array.AsReadOnly(inputs);
        _outputView = Array.AsReadOnly(outputs);
        Steps = steps;
        ConstData = consts;
        (ArenaF, ArenaD, ArenaI, TileF, TileD) = (arenaF, arenaD, arenaI, tileF, tileD);
        for (int i = 0; i < steps.Length; i++) steps[i].Index = i;
        _pool = new Workspace?[Math.Max(2, Environment.ProcessorCount * 2)];
        _checkedShapes = new Shape?[inputs.Length];
    }

    /// <summary>The variables, in the order <see cref="Run(Tensor[])"/> takes their values.</summary>
    public IReadOnlyList<Var> Inputs => _inputView;

    /// <summary>The expressions computed, in the order results are returned.</summary>
    public IReadOnlyList<Expr> Outputs => _outputView;

    /// <summary>Number of kernel steps one call runs.</summary>
    public int StepCount => Steps.Length;

    /// <summary>
    /// The primitives (by key) that run through their interpreter kernel instead of a compiled step, one entry
    /// per such step; empty when everything compiled, as it should be for every primitive the library ships.
    /// </summary>
    public IReadOnlyList<string> InterpretedSteps => Steps.OfType<FallbackStep>().Select(s => s.Primitive.Key).ToArray();

    /// <summary>Bytes of intermediate storage one call uses (arenas plus fused-kernel scratch).</summary>
    public long WorkspaceBytes => 4L * ArenaF + 8L * ArenaD + 4L * ArenaI + 4L * TileF + 8L * TileD;

    /// <summary>Fresh, uninitialised tensors shaped like the outputs, for the allocation-free <see cref="Run(ReadOnlySpan{Tensor}, Span{Tensor})"/>.</summary>
    public Tensor[] CreateOutputs()
    {
        var r = new Tensor[_outputs.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Tensor.Uninitialized(_outputs[i].Shape, _outputs[i].DType);
        return r;
    }

    /// <summary>Evaluates the outputs for the given input values (one per <see cref="Inputs"/> entry, in order) into fresh tensors.</summary>
    public Tensor[] Run(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var outputs = CreateOutputs();
        Run(inputs, outputs);
        return outputs;
    }

    /// <summary>
    /// Evaluates the outputs into caller-owned tensors made by <see cref="CreateOutputs"/>, overwriting their
    /// elements; allocates nothing once warm (when matrix products stay single-threaded, see
    /// <see cref="Settings.MaxThreads"/>). The output tensors must not be shared with other code while they are reused;
    /// an output whose storage an input, another output or a constant (<see cref="Ex.Const(Tensor)"/>) uses is refused
    /// with a <see cref="FunctionalADException"/>, since writing into it would change that value.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Run(scoped ReadOnlySpan<Tensor> inputs, scoped Span<Tensor> outputs)
    {
        Check(inputs, outputs);
        var ws = Rent();
        try
        {
            CheckNotFrozen(outputs, ws);
            for (int i = 0; i < inputs.Length; i++) ws.Inputs[i].Data = inputs[i].Data;
            for (int i = 0; i < outputs.Length; i++) ws.Outputs[i].Data = outputs[i].Data;
            foreach (var s in Steps) s.Run(ws);
            // Past this point the tensors are reachable only through the spans: keep them, so their pooled
            // storage (ResultPool) cannot be recycled while the steps above use it.
            for (int i = 0; i < inputs.Length; i++) GC.KeepAlive(inputs[i]);
            for (int i = 0; i < outputs.Length; i++) GC.KeepAlive(outputs[i]);
        }
        finally
        {
            Array.Clear(ws.Inputs);
            Array.Clear(ws.Outputs);
            Return(ws);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Check(scoped ReadOnlySpan<Tensor> inputs, scoped Span<Tensor> outputs)
    {
        if (inputs.Length != _inputs.Length)
            throw new FunctionalADException($"CompiledFunction.Run: {inputs.Length} inputs given, but the function takes {_inputs.Length} ({string.Join(", ", _inputs.Select(v => v.Name))})");
        if (outputs.Length != _outputs.Length)
            throw new FunctionalADException($"CompiledFunction.Run: {outputs.Length} output tensors given, but the function has {_outputs.Length} outputs (use CreateOutputs)");
        for (int i = 0; i < inputs.Length; i++)
        {
            var t = inputs[i];
            var v = _inputs[i];
            if (t is null) throw new FunctionalADException($"CompiledFunction.Run: the value for '{v.Name}' is null");
            if (t.DType != v.DType)
                throw new DTypeException($"CompiledFunction.Run: input '{v.Name}' is {v.DType.Name()} but the value is {t.DType.Name()} (use Tensor.Cast)");
            var shape = t.Shape;
            if (ReferenceEquals(shape, v.Shape) || ReferenceEquals(shape, _checkedShapes[i])) continue;
            if (shape != v.Shape)
                throw new ShapeException($"CompiledFunction.Run: input '{v.Name}' has shape {v.Shape} but the value has shape {t.Shape}");
            // Shapes are immutable: one found equal stays equal, so the next call with it compares references only.
            _checkedShapes[i] = shape;
        }
        for (int i = 0; i < outputs.Length; i++)
        {
            var t = outputs[i];
            var e = _outputs[i];
            if (t is null || t.DType != e.DType || (!ReferenceEquals(t.Shape, e.Shape) && t.Shape != e.Shape))
                throw new ShapeException($"CompiledFunction.Run: output {i} must be a {e.DType.Name()} tensor of shape {e.Shape} (use CreateOutputs)");
            CheckNotAliased(t, i, inputs, outputs);
        }
    }

    /// <summary>
    /// Refuses an output tensor whose storage a constant uses: writing into it would change the constant under its
    /// expressions. The lookup is by storage (Tensor.Reshape shares it) in a weak table, the dearest check of a
    /// small call, so each workspace remembers the storage it last found not frozen and looks again only for new
    /// storage or after some tensor has been frozen since.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void CheckNotFrozen(scoped Span<Tensor> outputs, Workspace ws)
    {
        int freezes = Tensor.Freezes;
        bool same = ws.NotFrozenAt == freezes;
        for (int i = 0; i < outputs.Length; i++)
        {
            var t = outputs[i];
            if (same && ReferenceEquals(ws.NotFrozen[i], t.Data)) continue;
            if (t.IsFrozen)
                throw new FunctionalADException($"CompiledFunction.Run: output {i} shares its storage with a constant of an expression (Const); " +
                    "writing into it would change the constant. Pass tensors made by CreateOutputs");
            ws.NotFrozen[i] = t.Data;
        }
        ws.NotFrozenAt = freezes;
    }

    /// <summary>
    /// Refuses an output tensor that an input or an earlier output shares (kernels would read what they are
    /// overwriting). Tensor.Reshape shares storage, so storage is compared, not tensors.
    /// </summary>
    // Optimized from its first call: a method tiering up mid-run allocates on the calling thread, and Run must not.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void CheckNotAliased(Tensor t, int i, scoped ReadOnlySpan<Tensor> inputs, scoped Span<Tensor> outputs)
    {
        for (int k = 0; k < inputs.Length; k++)
            if (ReferenceEquals(inputs[k].Data, t.Data))
                throw new FunctionalADException($"CompiledFunction.Run: output {i} shares its storage with the input '{_inputs[k].Name}'; pass separate tensors (CreateOutputs)");
        for (int k = 0; k < i; k++)
            if (ReferenceEquals(outputs[k].Data, t.Data))
                throw new FunctionalADException($"CompiledFunction.Run: outputs {k} and {i} share their storage; pass separate tensors (CreateOutputs)");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private Workspace Rent()
    {
        for (int i = 0; i < _pool.Length; i++)
            if (Interlocked.Exchange(ref _pool[i], null) is { } ws) return ws;
        return new Workspace(this);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Return(Workspace ws)
    {
        for (int i = 0; i < _pool.Length; i++)
            if (Interlocked.CompareExchange(ref _pool[i], ws, null) is null) return;
    }

    /// <summary>The plan, one step per line: which nodes were fused, which kernels run, where values live.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"compiled: {Steps.Length} steps, workspace {WorkspaceBytes} bytes, inputs ({string.Join(", ", _inputs.Select(v => v.Name))})");
        foreach (var s in Steps) sb.AppendLine($"  {s.Index}: {s.Describe()}");
        if (InterpretedSteps is { Count: > 0 } slow)
            sb.AppendLine($"interpreted (not compiled): {string.Join(", ", slow)}");
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
