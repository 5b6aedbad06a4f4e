namespace FunctionalAD.FSharp

open System
open FunctionalAD

/// <summary>
/// Custom derivative rules as F# functions: the name first (how applications print and errors name the function),
/// then the forward body, then the rule. The result is an ordinary <c>Expr -&gt; Expr</c> that every derivative
/// (grad, jvp, vjp, hessian, tapes) and Ad.Compile understand.
/// </summary>
[<AutoOpen>]
module CustomRules =

    /// <summary>
    /// f with your own reverse rule (JAX's custom_vjp): <c>customVjp "log1pexp" (fun x -&gt; log (1.0f + exp x)) (fun x y g -&gt; g * Sigmoid x)</c>.
    /// The rule gives x̄ from the input x, the output y and the output cotangent ȳ. No forward mode, as in JAX.
    /// </summary>
    let customVjp (name: string) (forward: Expr -> Expr) (backward: Expr -> Expr -> Expr -> Expr) : Expr -> Expr =
        let f = Ad.CustomVjp(Func<Expr, Expr> forward, Func<Expr, Expr, Expr, Expr> backward, name)
        fun x -> f.Invoke x

    /// <summary>
    /// A function of several inputs with your own reverse rule: the rule gives one cotangent per input from the inputs,
    /// the output and the output cotangent (<c>None</c> for an input with none).
    /// </summary>
    let customVjpN (name: string) (forward: Expr list -> Expr) (backward: Expr list -> Expr -> Expr -> Expr option list) : Expr list -> Expr =
        let f =
            Ad.CustomVjp(
                Func<Expr[], Expr>(fun xs -> forward (List.ofArray xs)),
                Func<Expr[], Expr, Expr, Expr[]>(fun xs y g ->
                    backward (List.ofArray xs) y g |> List.map (fun c -> match c with Some e -> e | None -> Unchecked.defaultof<Expr>) |> Array.ofList),
                name)
        fun xs -> f.Invoke(Array.ofList xs)

    /// <summary>
    /// f with your own forward rule (JAX's custom_jvp): <c>customJvp "log1pexp" (fun x -&gt; log (1.0f + exp x)) (fun x t -&gt; t * Sigmoid x)</c>.
    /// Reverse mode transposes the rule when it is linear in the tangent t.
    /// </summary>
    let customJvp (name: string) (forward: Expr -> Expr) (jvp: Expr -> Expr -> Expr) : Expr -> Expr =
        let f = Ad.CustomJvp(Func<Expr, Expr> forward, Func<Expr, Expr, Expr> jvp, name)
        fun x -> f.Invoke x

    /// <summary>A function of several inputs with your own forward rule, from the inputs and their tangents.</summary>
    let customJvpN (name: string) (forward: Expr list -> Expr) (jvp: Expr list -> Expr list -> Expr) : Expr list -> Expr =
        let f =
            Ad.CustomJvp(
                Func<Expr[], Expr>(fun xs -> forward (List.ofArray xs)),
                Func<Expr[], Expr[], Expr>(fun xs ts -> jvp (List.ofArray xs) (List.ofArray ts)),
                name)
        fun xs -> f.Invoke(Array.ofList xs)

    /// <summary>
    /// TensorFlow's custom_gradient: <paramref name="f"/> gives the value and the gradient function ȳ ↦ x̄, e.g. a
    /// gradient clip <c>customGradient "clip" (fun x -&gt; x, fun g -&gt; Minimum(Maximum(g, -1.0f), 1.0f))</c>.
    /// </summary>
    let customGradient (name: string) (f: Expr -> Expr * (Expr -> Expr)) : Expr -> Expr =
        let h =
            Ad.CustomGradient(
                Func<Expr, struct (Expr * Func<Expr, Expr>)>(fun x ->
                    let value, gradient = f x
                    struct (value, Func<Expr, Expr> gradient)),
                name)
        fun x -> h.Invoke x
