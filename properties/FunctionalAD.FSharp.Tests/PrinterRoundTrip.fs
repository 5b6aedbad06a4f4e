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

/// Values in [0.5, 2], none symmetric, so distinct expressions give distinct numbers.
let bindings =
    Env.Of(
        struct (a, Tensor.RandomUniform(Shape(2, 2), 0.5, 2.0, seed = 11, dtype = DType.Float64)),
        struct (b, Tensor.RandomUniform(Shape(2, 2), 0.5, 2.0, seed = 12, dtype = DType.Float64)),
        struct (c, Tensor.RandomUniform(Shape(2, 2), 0.5, 2.0, seed = 13, dtype = DType.Float64)))

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
        elif Char.IsLetter s.[i] then
            let mutable j = i
            while j < s.Length && Char.IsLetterOrDigit s.[j] do j <- j + 1
            go j (Ident(s.Substring(i, j - i)) :: acc)
        else go (i + 1) (Sym(string s.[i]) :: acc)
    go 0 []

exception ParseError of string

/// sum := product (± product)*; product := unary ((* | / | @) unary)*; unary := -unary | power;
/// power := postfix (^ unary)?; postfix := primary ᵀ*; primary := number | name | name(sum) | (sum).
let parse (text: string) : Expr =
    let vars = dict [ "a", a :> Expr; "b", b :> Expr; "c", c :> Expr ]
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
        | Num v :: r -> Const(v) :> Expr, r
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

let leaf : Gen<Expr> =
    Gen.elements [ a :> Expr; b; c; Const(2.0); Const(0.5); Const(-3.0) ]

let rec expr (size: int) : Gen<Expr> =
    if size <= 0 then leaf
    else
        let sub = expr (size / 2)
        Gen.oneof [
            leaf
            Gen.map2 (fun x y -> x + y) sub sub
            Gen.map2 (fun x y -> x - y) sub sub
            Gen.map2 (fun x y -> x * y) sub sub
            Gen.map2 (fun x y -> x / y) sub sub
            Gen.map (fun x -> Negate x) sub
            Gen.map2 (fun x k -> Pow(x, Const(k: float) :> Expr)) sub (Gen.elements [ 2.0; 3.0; -1.0 ])
            Gen.map (fun x -> Pow(x, Negate(Const 2.0))) sub
            gen {
                let! x = sub
                let! y = sub
                let! ta = Gen.elements [ false; true ]
                let! tb = Gen.elements [ false; true ]
                return if x.Rank = 2 && y.Rank = 2 then MatMul(x, y, ta, tb) else x * y
            }
            Gen.map (fun (x: Expr) -> if x.Rank = 2 then Transpose(x) else x) sub
            Gen.map (fun x -> Sin x) sub
            Gen.map (fun x -> Tanh x) sub ]

/// Only 2×2 results: a constant leaf alone is a scalar, which the matrix operators cannot take.
let matrices : Gen<Expr> = Gen.sized (fun s -> expr (min s 12)) |> Gen.filter (fun e -> e.Rank = 2)

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
let ``every pair of parentheses is needed: without it the text fails to read or means something else`` (e: Expr) =
    let text = e.ToString()
    let original = value e
    groupingPairs text
    |> List.forall (fun (o, cl) ->
        let without = text.Remove(cl, 1).Remove(o, 1)
        // "--a" would read as a decrement to a C# eye, so -(-a) keeps its parentheses on purpose.
        without.Contains "--"
        || (try not (same (value (parse without)) original) with ParseError _ -> true | :? FunctionalADException -> true))
    |> Prop.label text

[<Fact>]
let ``examples: products, transposes and slices keep the parentheses their meaning needs`` () =
    Assert.Equal("a * (b @ c)", (a * MatMul(b, c)).ToString())
    Assert.Equal("a @ b * c", (MatMul(a, b) * c).ToString())
    Assert.Equal("(a + b)ᵀ", Transpose(a + b).ToString())
    Assert.Equal("(a * b)ᵀ @ c", MatMul(a * b, c, transposeA = true).ToString())
    Assert.Equal("(a + b)[0:1, 0:2]", Slice(a + b, [| 0; 0 |], [| 1; 2 |]).ToString())
    Assert.Equal("a - (b - c)", (a - (b - c)).ToString())
    Assert.Equal("a + b - c", (a + (b - c)).ToString())
    Assert.Equal("a^-1", Pow(a, -1.0).ToString())
    Assert.Equal("(-a)^2", Pow(Negate a, 2.0).ToString())
    Assert.Equal("-a^2", Negate(Pow(a, 2.0)).ToString())
    Assert.Equal("[0, 1]", Const([| -0.0; 1.0 |]).ToString())
