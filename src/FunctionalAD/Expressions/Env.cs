using System.Collections.Immutable;
using LanguageExt;

namespace FunctionalAD;

/// <summary>
/// Immutable bindings from variables to tensors. Binding checks shape and dtype at once, so a wrong value
/// is reported where it was bound, not deep inside an evaluation.
/// </summary>
public sealed class Env
{
    // The BCL's immutable map rather than LanguageExt's HashMap: its default key equality finds instances by
    // reflection, which trimming and native AOT cannot keep (docs/aot.md). Var compares by reference.
    private readonly ImmutableDictionary<Var, Tensor> _map;

    private Env(ImmutableDictionary<Var, Tensor> map) => _map = map;

    /// <summary>No bindings.</summary>
    public static Env Empty { get; } = new(ImmutableDictionary<Var, Tensor>.Empty);

    /// <summary>An environment with the given bindings.</summary>
    /// <remarks>Each first item must be a variable (made with <c>Var</c>); anything else is a <see cref="FunctionalADException"/>.</remarks>
    public static Env Of(params (Expr Var, Tensor Value)[] bindings)
    {
        return Ex.NotNull(bindings, nameof(bindings), "Env.Of").Aggregate(Empty, (env, b) => env.Bind(b.Var, b.Value));
    }

    /// <summary>This environment plus <paramref name="v"/> = <paramref name="value"/> (replacing any earlier value).</summary>
    /// <remarks><paramref name="v"/> must be a variable (made with <c>Var</c>); anything else is a <see cref="FunctionalADException"/>.</remarks>
    public Env Bind(Expr v, Tensor value) => Bind(Ex.RequireVar(v, "Env.Bind", nameof(v)), value);

    private Env Bind(Var v, Tensor value)
    {
        if (value is null) throw new FunctionalADException($"Env: the value for '{v.Name}' is null");
        if (value.Shape != v.Shape)
            throw new ShapeException($"Env: variable '{v.Name}' has shape {v.Shape} but the value has shape {value.Shape}");
        if (value.DType != v.DType)
            throw new DTypeException($"Env: variable '{v.Name}' is {v.DType.Name()} but the value is {value.DType.Name()} (use Tensor.Cast)");
        return new Env(_map.SetItem(v, value));
    }

    /// <summary>The value of <paramref name="v"/>, if bound.</summary>
    public Option<Tensor> Find(Expr v) => Ex.NotNull(v, nameof(v), "Env.Find") is Var x && _map.TryGetValue(x, out var t) ? Option<Tensor>.Some(t) : Option<Tensor>.None;

    /// <summary>The binding of <paramref name="v"/>, without LanguageExt's Option (whose equality needs reflection under native AOT).</summary>
    internal bool TryFind(Var v, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) => _map.TryGetValue(v, out value);

    /// <summary>
    /// The value of <paramref name="v"/>: its binding, else the current value of the <see cref="Variable"/> it
    /// belongs to, else a <see cref="MissingBindingException"/> naming it.
    /// </summary>
    public Tensor this[Expr v] => this[Ex.RequireVar(v, "Env", nameof(v))];

    internal Tensor this[Var v] =>
        _map.TryGetValue(Ex.NotNull(v, nameof(v), "Env"), out var t) ? t : v.Current?.Invoke() ?? throw new MissingBindingException(v);

    /// <summary>The bound variables.</summary>
    public IEnumerable<Var> Vars => _map.Keys;
}
