/// ToString prints math with the fewest parentheses that keep the meaning: read back, the text means the same
/// expression; drop any one pair of parentheses and it no longer does.
module FunctionalAD.FSharp.Tests.PrinterRoundTrip

open System
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open FunctionalAD
open type FunctionalAD.Ex

let a = Var64("a", 2, 2)
let b = Var64("b", 2, 2)
let c = Var64("c", 2, 2)
let d = Var64("d", 2, 2)

/// Values in [0.5, 2], none symmetric, so distinct expressions give distinct numbers.
let bindings =
    Env.Of(
        struct (a, Tensor.RandomUniform(Shape(2, 2), 0.5, 2.0, seed = 11, dtype = DType.Float64)),
        struct (b, Tensor.RandomUniform(Shape(2, 2), 0.5, 2.0, seed = 12, dtype = DType.Float64)),
        struct (c, Tensor.RandomUniform(Shape(2, 2), 0.5, 2.0, seed = 13, dtype = DType.Float64)),
        struct (d, Tensor.RandomUniform(Shape(2, 2), 0.5, 2.0, seed = 14, dtype = DType.Float64)))

// ---- a reader for the printed form, written from the conventions of math, not from the printer ----

type Token =
    | Num of float
    | Ident of string
    | Sym of string

let tokenize (s: string) : Token list =
    let rec go i acc =
        if i >= s.Length then List.rev acc
        elif Char.IsWhiteSpace s.[i] then go (i + 1) acc
        elif Char.IsDigit s.[i] then
            let mutable j = i
            while j < s.Length && (Char.IsDigit s.[j] || s.[j] = '.' || s.[j] = 'E' || ((s.[j] = '-' || s.[j] = '+') && s.[j - 1] = 'E')) do
                j <- j + 1
            go j (Num(Double.Parse(s.Substring(i, j - i), Globalization.CultureInfo.InvariantCulture)) :: acc)
        elif Char.IsLetter s.[i] && s.[i] <> 'ᵀ' then
            let mutable j = i
            while j < s.Length && Char.IsLetterOrDigit s.[j] && s.[j] <> 'ᵀ' do j <- j + 1
            go j (Ident(s.Substring(i, j - i)) :: acc)
        else go (i + 1) (Sym(string s.[i]) :: acc)
    go 0 []

exception ParseError of string

/// sum := product (± product)*; product := unary ((* | / | @) unary)*; unary := -unary | power;
/// power := postfix (^ unary)?; postfix := primary ᵀ*; primary := number | name | name(sum) | (sum).
let parse (text: string) : Expr =
    let vars = dict [ "a", a; "b", b; "c", c; "d", d ]
    let rec sum ts =
        let left, rest = product ts
        let rec loop (l: Expr) ts =
            match ts with
            | Sym "+" :: r -> let x, r = product r in loop (l + x) r
            | Sym "-" :: r -> let x, r = product r in loop (l - x) r
            | _ -> l, ts
        loop left rest
    and product ts =
        let left, rest = unary ts
        let rec loop (l: Expr) ts =
            match ts with
            | Sym "*" :: r -> let x, r = unary r in loop (l * x) r
            | Sym "/" :: r -> let x, r = unary r in loop (l / x) r
            | Sym "@" :: r -> let x, r = unary r in loop (MatMul(l, x)) r
            | _ -> l, ts
        loop left rest
    and unary ts =
        match ts with
        | Sym "-" :: r -> let x, r = unary r in Negate x, r
        | _ -> power ts
    and power ts =
        let x, rest = postfix ts
        match rest with
        | Sym "^" :: r -> let e, r = unary r in Pow(x, e), r
        | _ -> x, rest
    and postfix ts =
        let rec loop x ts =
            match ts with
            | Sym "ᵀ" :: r -> loop (Transpose(x)) r
            | _ -> x, ts
        let x, rest = primary ts
        loop x rest
    and primary ts =
        match ts with
        | Num v :: r -> Const(v), r
        | Ident f :: Sym "(" :: r ->
            let x, r = sum r
            match r with
            | Sym ")" :: r ->
                match f with
                | "sin" -> Sin x, r
                | "tanh" -> Tanh x, r
                | _ -> raise (ParseError $"unknown function {f}")
            | _ -> raise (ParseError "missing )")
        | Ident v :: r when vars.ContainsKey v -> vars.[v], r
        | Sym "(" :: r ->
            let x, r = sum r
            match r with
            | Sym ")" :: r -> x, r
            | _ -> raise (ParseError "missing )")
        | t -> raise (ParseError $"unexpected {t}")
    match sum (tokenize text) with
    | e, [] -> e
    | _, rest -> raise (ParseError $"left over: {rest}")

// ---- random expressions over the infix operators ----

let leaf : Gen<Expr> = Gen.elements [ a; b; c; d; Const(2.0); Const(0.5); Const(-3.0) ]

let exponent : Gen<Expr> = Gen.elements [ 2.0; 3.0; -1.0; 0.5 ] |> Gen.map (fun k -> Const(k))

/// Two different operands: x - x and x / x are constants, which make poor examples.
let distinct (g: Gen<Expr>) = Gen.map2 (fun x y -> x, y) g g |> Gen.filter (fun (x, y) -> not (obj.ReferenceEquals(x, y)))

let rec expr (size: int) : Gen<Expr> =
    if size <= 0 then leaf
    else
        let sub = expr (size / 2)
        Gen.oneof [
            leaf
            Gen.map (fun (x, y) -> x + y) (distinct sub)
            Gen.map (fun (x, y) -> x - y) (distinct sub)
            Gen.map (fun (x, y) -> x * y) (distinct sub)
            Gen.map (fun (x, y) -> x / y) (distinct sub)
            Gen.map (fun x -> Negate x) sub
            Gen.map2 (fun (x: Expr) (k: Expr) -> Pow(x, k)) sub exponent
            gen {
                let! x, y = distinct sub
                let! ta = Gen.elements [ false; true ]
                let! tb = Gen.elements [ false; true ]
                return if x.Rank = 2 && y.Rank = 2 then MatMul(x, y, ta, tb) else x * y
            }
            Gen.map (fun (x: Expr) -> if x.Rank = 2 then Transpose(x) else x) sub
            Gen.map (fun x -> Sin x) sub
            Gen.map (fun x -> Tanh x) sub ]

/// Only 2×2 results: a constant leaf alone is a scalar, which the matrix operators cannot take.
let matrices : Gen<Expr> = Gen.sized (fun s -> expr (min s 12)) |> Gen.filter (fun e -> e.Rank = 2)

// ---- what an expression means, up to the laws the printer may use to drop parentheses ----

/// An expression with sums, products and matrix products flattened into chains and every minus moved to the
/// front of its chain: a + (b - c) and (a + b) - c, -(a * b) and -a * b, (-x)ᵀ and -(xᵀ), a @ (b @ c) and
/// (a @ b) @ c each have one form. Nothing else is identified, so (-x)^3 and -(x^3) stay apart although their
/// values agree: distinct forms mean distinct expressions whatever the numbers.
type Form =
    | Named of string
    | Number of float
    | Terms of (bool * Form) list
    | Factors of (bool * Form) list
    | MatFactors of Form list
    | Transposed of Form
    | Raised of Form * Form
    | Applied of string * Form
    | Negative of Form

/// The form of e as (positive?, form of its magnitude). A sum inside a sum joins it, but not through a minus:
/// the printer writes x - -(a + b), never x - -a + b, though they are equal.
let rec form (e: Expr) : bool * Form =
    let terms x =
        match form x with
        | true, Terms ts -> ts
        | s, f -> [ s, f ]
    let factors x =
        match form x with
        | s, Factors fs -> s, fs
        | s, f -> s, [ true, f ]
    let matFactors x =
        match form x with
        | s, MatFactors fs -> s, fs
        | s, f -> s, [ f ]
    let operand (transposed: bool) x = if transposed then (let s, f = form x in s, [ Transposed f ]) else matFactors x
    match e with
    | :? Var as v -> true, Named v.Name
    | :? Const as k -> let v = k.Value.ToScalar() in v >= 0.0, Number(abs v)
    | :? Apply as ap ->
        match ap.Op with
        | :? AddOp -> true, Terms(terms (ap.Arg 0) @ terms (ap.Arg 1))
        | :? SubtractOp -> true, Terms(terms (ap.Arg 0) @ (terms (ap.Arg 1) |> List.map (fun (p, t) -> not p, t)))
        | :? NegateOp -> let s, f = form (ap.Arg 0) in not s, f
        | :? MultiplyOp | :? DivideOp ->
            let sx, fx = factors (ap.Arg 0)
            let sy, fy = factors (ap.Arg 1)
            let fy = if ap.Op :? DivideOp then fy |> List.map (fun (m, f) -> not m, f) else fy
            (sx = sy), Factors(fx @ fy)
        | :? MatMulOp as m ->
            let sx, fx = operand m.TransA (ap.Arg 0)
            let sy, fy = operand m.TransB (ap.Arg 1)
            (sx = sy), MatFactors(fx @ fy)
        | :? TransposeOp -> let s, f = form (ap.Arg 0) in s, Transposed f
        | :? PowOp -> true, Raised(signed (ap.Arg 0), signed (ap.Arg 1))
        | :? SinOp -> true, Applied("sin", signed (ap.Arg 0))
        | :? TanhOp -> true, Applied("tanh", signed (ap.Arg 0))
        | op -> failwithf "no form for %s" op.Name
    | _ -> failwithf "no form for %O" e

and signed (e: Expr) : Form =
    match form e with
    | true, f -> f
    | false, f -> Negative f

type Expressions =
    static member Matrices() : Arbitrary<Expr> = Arb.fromGen matrices

let value (e: Expr) = e.Eval(bindings).ToDoubleArray()

let same (x: float[]) (y: float[]) =
    Array.forall2 (fun (p: float) q -> (Double.IsNaN p && Double.IsNaN q) || p = q || abs (p - q) <= 1e-9 * max (abs p) (abs q)) x y

/// The positions of each pair of grouping parentheses (not those of a call like sin(…)).
let groupingPairs (s: string) =
    let stack = Collections.Generic.Stack<int * bool>()
    [ for i in 0 .. s.Length - 1 do
        if s.[i] = '(' then stack.Push((i, i > 0 && Char.IsLetter s.[i - 1]))
        elif s.[i] = ')' then
            let o, isCall = stack.Pop()
            if not isCall then yield o, i ]

[<Property(Arbitrary = [| typeof<Expressions> |], MaxTest = 200)>]
let ``the printed text, read back by the rules of math, has the expression's value`` (e: Expr) =
    let text = e.ToString()
    same (value (parse text)) (value e) |> Prop.label text

[<Property(Arbitrary = [| typeof<Expressions> |], MaxTest = 200)>]
let ``the printed text, read back, is the same expression up to regrouping`` (e: Expr) =
    let text = e.ToString()
    (form (parse text) = form e) |> Prop.label text

/// The operators at nesting depth 0 of a parenthesised span.
let private topLevelOperators (inside: string) =
    let mutable depth = 0
    [ for i in 0 .. inside.Length - 1 do
        match inside.[i] with
        | '(' | '[' -> depth <- depth + 1
        | ')' | ']' -> depth <- depth - 1
        | _ when depth = 0 && i + 3 <= inside.Length -> yield inside.Substring(i, 3)
        | _ -> () ]
    |> List.filter (fun op -> op = " @ " || op = " * " || op = " / ")

/// @ shares a level with the element-wise * and /, but readers take them for different operations, so the
/// printer keeps them apart on purpose: (a @ b) * c and a * (b @ c).
let private separatesMatmulFromElementwise (text: string) (o: int) (cl: int) =
    let inside = topLevelOperators (text.Substring(o + 1, cl - o - 1))
    let outside =
        [ (if o >= 3 then text.Substring(o - 3, 3) else "")
          (if cl + 4 <= text.Length then text.Substring(cl + 1, 3) else "") ]
        |> List.filter (fun op -> op = " @ " || op = " * " || op = " / ")
    outside |> List.exists (fun op ->
        if op = " @ " then inside |> List.exists (fun i -> i <> " @ ") else inside |> List.contains " @ ")

[<Property(Arbitrary = [| typeof<Expressions> |], MaxTest = 200)>]
let ``every pair of parentheses is needed: without it the text fails to read or is another expression`` (e: Expr) =
    let text = e.ToString()
    groupingPairs text
    |> List.forall (fun (o, cl) ->
        let without = text.Remove(cl, 1).Remove(o, 1)
        // "--a" would read as a decrement to a C# eye, so -(-a) keeps its parentheses on purpose.
        without.Contains "--"
        || separatesMatmulFromElementwise text o cl
        // A negative exponent keeps its parentheses, x^(-1), as most readers expect.
        || without.Contains "^-"
        // The printer keeps the tree, not only the value: (-a)ᵀ is not printed as -aᵀ, which reads -(aᵀ).
        || (try (parse without).ToString() <> text with ParseError _ -> true | :? FunctionalADException -> true))
    |> Prop.label text

[<Fact>]
let ``examples: products, transposes and slices keep the parentheses their meaning needs`` () =
    Assert.Equal("a * (b @ c)", (a * MatMul(b, c)).ToString())
    Assert.Equal("(a @ b) * c", (MatMul(a, b) * c).ToString())
    Assert.Equal("(a + b)ᵀ", Transpose(a + b).ToString())
    Assert.Equal("(a * b)ᵀ @ c", MatMul(a * b, c, transposeA = true).ToString())
    Assert.Equal("(a + b)[0:1, 0:2]", Slice(a + b, [| 0; 0 |], [| 1; 2 |]).ToString())
    Assert.Equal("a - (b - c)", (a - (b - c)).ToString())
    Assert.Equal("a + b - c", (a + (b - c)).ToString())
    Assert.Equal("a * (b @ c) / a", (a * (MatMul(b, c) / a)).ToString())
    Assert.Equal("a * b * c / a", (a * (b * c / a)).ToString())
    Assert.Equal("a^(-1)", Pow(a, -1.0).ToString())
    Assert.Equal("(-a)^2", Pow(Negate a, 2.0).ToString())
    Assert.Equal("-a^2", Negate(Pow(a, 2.0)).ToString())
    Assert.Equal("(-a)ᵀ", Transpose(Negate a).ToString())
    Assert.Equal("(-a)ᵀ^2", Pow(Transpose(Negate a), 2.0).ToString())
    Assert.Equal("(-a^2)ᵀ", Transpose(Negate(Pow(a, 2.0))).ToString())
    Assert.Equal("(-(a - b))ᵀ", Transpose(Negate(a - b)).ToString())
    Assert.Equal("[0, 1]", Const([| -0.0; 1.0 |]).ToString())
