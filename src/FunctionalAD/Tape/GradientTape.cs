namespace FunctionalAD;

/// <summary>
/// TensorFlow's <c>tf.GradientTape</c> over FunctionalAD expressions. While it records (from construction until
/// it is disposed, outside <see cref="StopRecording"/>), it notes every application built on this thread whose
/// arguments depend on something watched; <see cref="Gradient(Expr, Expr, Expr?, UnconnectedGradients)"/> then
/// differentiates through exactly that work. Anything built before the tape, while it was paused, or from
/// unwatched inputs, is a constant to it, as in TensorFlow.
/// </summary>
/// <remarks>
/// <para>Watching is choosing the sources of a gradient: <see cref="Watch(Expr[])"/> marks constants or
/// intermediate expressions, and a trainable <see cref="Variable"/> read while the tape records is watched
/// on its own (unless <c>watchAccessedVariables</c> is false).</para>
/// <para>Expressions are interned, so building an expression that already exists while the tape records
/// counts as doing that work now, like running the operation again in TensorFlow.</para>
/// <para>Results are <see cref="EagerTensor"/>s: they print as values and convert to expressions, so an outer
/// tape that was recording while an inner tape's gradient was taken can differentiate that gradient again.</para>
/// </remarks>
/// <example>
/// <code>
/// var w = Const(1f); var x = Const(2f);
/// using var tape = new GradientTape();
/// tape.Watch(w);
/// var y = x * w;
/// Console.WriteLine(tape.Gradient(y, [w]));   // [tf.Tensor(2.0, shape=(), dtype=float32)]
/// </code>
/// </example>
public sealed partial class GradientTape : IDisposable
{
    private readonly HashSet<Expr> _connected = new(ReferenceEqualityComparer.Instance);
    private readonly List<Variable> _watchedVariables = new();
    private List<GradientTape>? _recordingOn;
    private bool _paused;
    private bool _disposed;
    private bool _used;

    /// <summary>A tape that starts recording at once on the current thread.</summary>
    /// <param name="persistent">True allows any number of <c>Gradient</c>/<c>Jacobian</c> calls; false allows one, as in TensorFlow.</param>
    /// <param name="watchAccessedVariables">True watches every trainable <see cref="Variable"/> read while recording; false watches only what <see cref="Watch(Expr[])"/> names.</param>
    public GradientTape(bool persistent = false, bool watchAccessedVariables = true)
    {
        Persistent = persistent;
        WatchAccessedVariables = watchAccessedVariables;
        Start();
    }

    /// <summary>Whether the tape can compute more than one set of gradients.</summary>
    public bool Persistent { get; }

    /// <summary>Whether trainable variables read while recording are watched automatically.</summary>
    public bool WatchAccessedVariables { get; }

    /// <summary>True while the tape notes the work done on its thread.</summary>
    public bool IsRecording => _recordingOn is not null && !_paused;

    private void Start() => _recordingOn = TapeRecorder.Add(this);

    private void Halt()
    {
        if (_recordingOn is not null) TapeRecorder.Remove(this, _recordingOn);
        _recordingOn = null;
    }

    /// <summary>Makes the tape follow derivatives with respect to these expressions (constants, intermediates, variables' leaves).</summary>
    public void Watch(params Expr[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var t in tensors)
        {
            if (t is null) throw new FunctionalADException("GradientTape.Watch: a tensor to watch is null");
            if (!t.DType.IsFloat())
                throw new DTypeException($"GradientTape.Watch: {t} is {t.DType.Name()}; only float32 and float64 tensors have gradients (Cast it first)");
            _connected.Add(t);
        }
    }

    /// <summary>Makes the tape follow derivatives with respect to these variables, trainable or not.</summary>
    public void Watch(params Variable[] variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var v in variables)
        {
            if (v is null) throw new FunctionalADException("GradientTape.Watch: a variable to watch is null");
            WatchVariable(v);
        }
    }

    private void WatchVariable(Variable v)
    {
        if (!v.DType.IsFloat())
            throw new DTypeException($"GradientTape.Watch: variable '{v.Name}' is {v.DType.Name()}; only float32 and float64 variables have gradients");
        if (_connected.Add(v.Var)) _watchedVariables.Add(v);
    }

    /// <summary>The variables this tape watches, in the order it began watching them.</summary>
    public IReadOnlyList<Variable> WatchedVariables() => _watchedVariables.ToArray();

    internal void Record(Apply node)
    {
        if (_paused || _connected.Contains(node) || !node.DType.IsFloat()) return;
        for (int i = 0; i < node.Args.Count; i++)
        {
            var a = node[i];
            if (a.DType.IsFloat() && node.Op.Differentiable(i) && _connected.Contains(a))
            {
                _connected.Add(node);
                return;
            }
        }
    }

    internal void Access(Variable v)
    {
        if (!_paused && WatchAccessedVariables && v.Trainable && v.DType.IsFloat()) WatchVariable(v);
    }

    /// <summary>
    /// Pauses recording until the returned scope is disposed: work done inside it is constant to this tape,
    /// like TensorFlow's <c>with tape.stop_recording():</c>.
    /// </summary>
    public IDisposable StopRecording()
    {
        if (_disposed) throw new TapeException("GradientTape.StopRecording: the tape was disposed and no longer records; there is nothing to stop");
        if (_paused) throw new TapeException("GradientTape.StopRecording: the tape is already paused by an enclosing StopRecording scope");
        _paused = true;
        return new Pause(this);
    }

    private sealed class Pause(GradientTape tape) : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            tape._paused = false;
        }
    }

    /// <summary>
    /// Forgets everything recorded and watched, as if this were a new tape: recording goes on (if it was
    /// recording), and a non-persistent tape may compute gradients once more.
    /// </summary>
    public void Reset()
    {
        _connected.Clear();
        _watchedVariables.Clear();
        _used = false;
        if (!_disposed && _recordingOn is null) Start();
    }

    /// <summary>Stops recording. What was recorded stays, so gradients can still be asked for afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        Halt();
    }
}
