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
/// <para>A tape records executions, not expressions: work built while it records is distinct from equal work
/// built before it started or while it was paused, which stays constant to it, as in TensorFlow. A
/// <see cref="Variable"/> read while it records is a leaf holding the value read, through which the tape
/// differentiates with respect to the variable.</para>
/// <para>A symbolic <see cref="FunctionalAD.Var"/> (no value) has no place on a tape: watching one, or recording work that
/// combines one with watched values, is a <see cref="TapeException"/> that says to use a <see cref="Variable"/> or a
/// <see cref="Ex.Const(Tensor)"/> instead (or <see cref="Ad"/> for symbolic derivatives).</para>
/// <para>When no tape records at the time of a <c>Gradient</c> call (the usual training step, with a
/// non-persistent tape), the gradient graph is derived and compiled once per structure of the recorded work and
/// cached (see <see cref="PlanCache"/>); later steps only run it.</para>
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
    private readonly ConnectedNodes _connected = new();
    // The variables watched as variables, in order, each with its reads recorded here. Looked up by a scan while
    // there are few (a training step has a handful, and a new tape each step), by a dictionary beyond that.
    private readonly List<WatchedVariable> _watched = new();
    private Dictionary<Variable, WatchedVariable>? _watchedByVariable;
    private const int ScannedVariables = 8;

    private sealed class WatchedVariable(Variable v)
    {
        public readonly Variable Variable = v;
        public Expr? FirstRead;
        public List<Expr>? MoreReads;
    }

    private WatchedVariable? Find(Variable v)
    {
        if (_watchedByVariable is { } byVariable) return byVariable.GetValueOrDefault(v);
        foreach (var w in _watched)
            if (ReferenceEquals(w.Variable, v)) return w;
        return null;
    }
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
            if (t is Var { Current: null } v) throw SymbolicVar(v, "Watch");
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
        if (_connected.Add(v.Var))
        {
            var w = new WatchedVariable(v);
            _watched.Add(w);
            if (_watchedByVariable is { } byVariable) byVariable[v] = w;
            else if (_watched.Count > ScannedVariables)
            {
                _watchedByVariable = new Dictionary<Variable, WatchedVariable>(ReferenceEqualityComparer.Instance);
                foreach (var each in _watched) _watchedByVariable[each.Variable] = each;
            }
        }
    }

    /// <summary>The error for a symbolic variable met on a tape, saying what to use instead.</summary>
    internal static TapeException SymbolicVar(Var v, string where) => new(
        $"GradientTape ({where}): '{v.Name}' {v.Shape} is a symbolic Var with no value, and a tape works on values. " +
        $"Use new Variable(value, \"{v.Name}\") for state you train, or Const(tensor) and tape.Watch for data; " +
        "for derivatives of symbolic expressions use Ad.Grad / Ad.Vjp instead of a tape.");

    /// <summary>The variables this tape watches, in the order it began watching them.</summary>
    public IReadOnlyList<Variable> WatchedVariables() => _watched.Select(w => w.Variable).ToArray();

    internal void Record(Apply node)
    {
        if (_paused || _connected.Contains(node) || !node.DType.IsFloat()) return;
        var args = node.Arguments;
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.DType.IsFloat() && _connected.Contains(a) && node.Op.Differentiable(i))
            {
                foreach (var b in args)
                    if (b is Var { Current: null } free) throw SymbolicVar(free, $"recording {node.Op.Name} of it with a watched value");
                _connected.Add(node, fresh: ReferenceEquals(node, Interning.JustMade));
                return;
            }
        }
    }

    internal void Access(Variable v, Const read)
    {
        if (_paused || !v.DType.IsFloat()) return;
        if (WatchAccessedVariables && v.Trainable) WatchVariable(v);
        if (Find(v) is not { } w) return;
        _connected.Add(read);
        if (w.FirstRead is null) w.FirstRead = read;
        else (w.MoreReads ??= new List<Expr>()).Add(read);
    }

    /// <summary>
    /// The nodes that stand for a source on this tape: for a variable (given as itself, its <see cref="Variable.Var"/>
    /// or one of its reads), its symbolic leaf and every read of it recorded here; otherwise the source itself.
    /// </summary>
    private Expr[] NodesOf(Expr source)
    {
        var v = VariableOf(source);
        if (v is not null)
        {
            if (Find(v) is not { FirstRead: { } first } w) return [v.Var];
            if (w.MoreReads is not { } more) return [v.Var, first];
            return [v.Var, first, .. more];
        }
        if (source is Var { Current: null } free) throw SymbolicVar(free, "Gradient");
        return [source];
    }

    /// <summary>The variable a source stands for (a read of it, or its leaf when this tape watches it), or null.</summary>
    private Variable? VariableOf(Expr source) => source switch
    {
        Const { ReadOf: { } read } => read,
        Var { Owner: { } owner } when Find(owner) is not null => owner,
        _ => null,
    };

    /// <summary>This tape's record of the variable a source stands for, or null.</summary>
    private WatchedVariable? WatchedOf(Expr source) => VariableOf(source) is { } v ? Find(v) : null;

    /// <summary>
    /// Pauses recording until the returned scope is disposed: work done inside it is constant to this tape,
    /// like TensorFlow's <c>with tape.stop_recording():</c>.
    /// </summary>
    public IDisposable StopRecording()
    {
        if (_disposed) throw new TapeException("GradientTape.StopRecording: the tape was disposed and no longer records; there is nothing to stop");
        if (_paused) throw new TapeException("GradientTape.StopRecording: the tape is already paused by an enclosing StopRecording scope");
        _paused = true;
        TapeRecorder.Changed();
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
            TapeRecorder.Changed();
        }
    }

    /// <summary>
    /// Forgets everything recorded and watched, as if this were a new tape: recording goes on (if it was
    /// recording), and a non-persistent tape may compute gradients once more.
    /// </summary>
    public void Reset()
    {
        Forget();
        _watched.Clear();
        _watchedByVariable = null;
        _used = false;
        if (!_disposed && _recordingOn is null) Start();
    }

    private void Forget()
    {
        _connected.Clear();
        foreach (var w in _watched)
        {
            w.FirstRead = null;
            w.MoreReads = null;
        }
    }

    /// <summary>Stops recording. What was recorded stays, so gradients can still be asked for afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        Halt();
    }
}
