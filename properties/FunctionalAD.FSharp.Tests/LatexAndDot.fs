/// ToLatex reads back to the same value and follows LaTeX conventions; ToDot draws each subterm once.
module FunctionalAD.FSharp.Tests.LatexAndDot

open System
open System.Text.RegularExpressions
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open FunctionalAD
open type FunctionalAD.Ex
open FunctionalAD.FSharp.Tests.PrinterRoundTrip

// ---- a reader for the LaTeX subset the random expressions print to ----

type TexToken =
    | Cmd of string
    | Ch of char
    | TNum of float

let texTokens (s: string) =
    let rec go i acc =
        if i >= s.Length then List.rev acc
        elif Char.IsWhiteSpace s.[i] then go (i + 1) acc
        elif s.[i] = '\\' then
            let mutable j = i + 1
            while j < s.Length && Char.IsLetter s.[j] do j <- j + 1
            go j (Cmd(s.Substring(i + 1, j - i - 1)) :: acc)
        elif Char.IsDigit s.[i] then
            let mutable j = i
            while j < s.Length && (Char.IsDigit s.[j] || s.[j] = '.') do j <- j + 1
            go j (TNum(Double.Parse(s.Substring(i, j - i), Globalization.CultureInfo.InvariantCulture)) :: acc)
        else go (i + 1) (Ch s.[i] :: acc)
    go 0 []

/// sum := product (± product)*; product := unary ((⊙ | ·) unary)*; unary := -unary | juxt;
/// juxt := power power* (matrix product); power := primary (^{…})*; primary := number | name | \frac{…}{…} | \left(…\right) | \fn\left(…\right).
let parseTex (text: string) : Expr =
    let vars = dict [ 'a', a; 'b', b; 'c', c; 'd', d ]
    let startsPrimary ts =
        match ts with
        | TNum _ :: _ -> true
        | Ch ch :: _ when vars.ContainsKey ch -> true
        | Cmd ("frac" | "left" | "sin" | "tanh") :: _ -> true
        | _ -> false
    let rec sum ts =
        let rec loop (l: Expr) ts =
            match ts with
            | Ch '+' :: r -> let x, r = product r in loop (l + x) r
            | Ch '-' :: r -> let x, r = product r in loop (l - x) r
            | _ -> l, ts
        let l, r = product ts
        loop l r
    and product ts =
        let rec loop (l: Expr) ts =
            match ts with
            | Cmd ("odot" | "cdot") :: r -> let x, r = unary r in loop (l * x) r
            | _ -> l, ts
        let l, r = unary ts
        loop l r
    and unary ts =
        match ts with
        | Ch '-' :: r -> let x, r = unary r in Negate x, r
        | _ -> juxt ts
    and juxt ts =
        let rec loop (l: Expr) ts =
            if startsPrimary ts then let x, r = power ts in loop (MatMul(l, x)) r else l, ts
        let l, r = power ts
        loop l r
    and power ts =
        let rec loop (x: Expr) ts =
            match ts with
            | Ch '^' :: Ch '{' :: Cmd "top" :: Ch '}' :: r -> loop (Transpose(x)) r
            | Ch '^' :: Ch '{' :: r ->
                let e, r = sum r
                match r with
                | Ch '}' :: r -> loop (Pow(x, e)) r
                | _ -> failwith "missing } after an exponent"
            | _ -> x, ts
        let x, r = primary ts
        loop x r
    and group ts =
        match ts with
        | Cmd "left" :: Ch '(' :: r ->
            let x, r = sum r
            match r with
            | Cmd "right" :: Ch ')' :: r -> x, r
            | _ -> failwith "missing \\right)"
        | _ -> failwith "expected \\left("
    and braced ts =
        match ts with
        | Ch '{' :: r ->
            let x, r = sum r
            match r with
            | Ch '}' :: r -> x, r
            | _ -> failwith "missing }"
        | _ -> failwith "expected {"
    and primary ts =
        match ts with
        | TNum v :: r -> Const(v), r
        | Ch ch :: r when vars.ContainsKey ch -> vars.[ch], r
        | Cmd "frac" :: r ->
            let n, r = braced r
            let d, r = braced r
            n / d, r
        | Cmd "sin" :: r -> let x, r = group r in Sin x, r
        | Cmd "tanh" :: r -> let x, r = group r in Tanh x, r
        | Cmd "left" :: _ -> group ts
        | t -> failwithf "unexpected %A" (List.truncate 3 t)
    match sum (texTokens text) with
    | e, [] -> e
    | _, rest -> failwithf "left over: %A" rest

[<Property(Arbitrary = [| typeof<Expressions> |], MaxTest = 200)>]
let ``the LaTeX, read back by the conventions of math, has the expression's value`` (e: Expr) =
    let tex = e.ToLatex()
    same (value (parseTex tex)) (value e) |> Prop.label tex

[<Property(Arbitrary = [| typeof<Expressions> |], MaxTest = 100)>]
let ``the LaTeX is well formed: braces and \left \right balance, no raw Unicode`` (e: Expr) =
    let tex = e.ToLatex()
    let depth = tex |> Seq.fold (fun d ch -> if d < 0 then d elif ch = '{' then d + 1 elif ch = '}' then d - 1 else d) 0
    let count (pattern: string) = Regex.Matches(tex, Regex.Escape pattern).Count
    (depth = 0 && count "\\left" = count "\\right" && tex |> Seq.forall (fun ch -> ch < '\u0080')) |> Prop.label tex

[<Fact>]
let ``LaTeX follows the usual notation`` () =
    let x = Var64("x", 2, 2)
    let y = Var64("y", 2, 2)
    Assert.Equal("\\frac{x}{y}", (x / y).ToLatex())
    Assert.Equal("x \\odot y z", (x * MatMul(y, Var64("z", 2, 2))).ToLatex())
    Assert.Equal("x^{\\top} y", MatMul(x, y, transposeA = true).ToLatex())
    Assert.Equal("\\left(x + y\\right)^{2}", Pow(x + y, 2.0).ToLatex())
    Assert.Equal("2 \\cdot x", (2.0 * x).ToLatex())
    Assert.Equal("\\sqrt{x} - \\left|y\\right|", (Sqrt x - Abs y).ToLatex())
    Assert.Equal("\\left[x > y\\right]", Greater(x, y).ToLatex())
    Assert.Equal("\\sum_{\\text{axis } 1}\\left(x\\right)", Sum(x, 1).ToLatex())
    Assert.Equal("\\exp\\left(-x\\right)", Exp(Negate x).ToLatex())
    Assert.Equal("x + \\left(-y\\right)", (x + Negate y).ToLatex())
    Assert.Equal("10^{-7} \\cdot x", (Const(1e-7) * x).ToLatex())
    Assert.Equal("\\operatorname{one\\_hot}\\left(\\left[2, 0\\right], 3\\right)", OneHot(Const([| 2; 0 |]), 3).ToLatex())
    Assert.Equal("\\operatorname{reshape}\\left(\\frac{x}{y}, (4,)\\right)", Reshape(x / y, 4).ToLatex())

[<Fact>]
let ``LaTeX names: a Greek letter becomes its command, digits and _ parts become subscripts, words stay upright`` () =
    Assert.Equal("\\xi_{12}", Var("ξ12", 1).ToLatex())
    Assert.Equal("w_{1}", Var("w_1", 1).ToLatex())
    Assert.Equal("x_{\\mathrm{hat}}", Var("x_hat", 1).ToLatex())
    Assert.Equal("\\mathrm{logits}", Var("logits", 1).ToLatex())

/// Distinct nodes reachable from the roots, by reference.
let distinctNodes (roots: Expr list) =
    let seen = Collections.Generic.HashSet<Expr>(HashIdentity.Reference)
    let rec walk (e: Expr) = if seen.Add e then Seq.iter walk e.Args
    List.iter walk roots
    seen

let nodeLines (dot: string) = Regex.Matches(dot, @"^\s*(n\d+) \[label=""([^""]*)""(.*)\];$", RegexOptions.Multiline) |> Seq.toList
let edgeLines (dot: string) = Regex.Matches(dot, @"^\s*(n\d+) -> (n\d+)", RegexOptions.Multiline) |> Seq.toList

[<Property(Arbitrary = [| typeof<Expressions> |], MaxTest = 100)>]
let ``ToDot draws every distinct subterm once and one edge per argument`` (e: Expr) =
    let dot = e.ToDot()
    let nodes = distinctNodes [ e ]
    let declared = nodeLines dot |> List.map (fun m -> m.Groups.[1].Value) |> Set.ofList
    let edges = edgeLines dot
    dot.StartsWith "digraph"
    && (nodeLines dot).Length = nodes.Count
    && declared.Count = nodes.Count
    && edges.Length = (nodes |> Seq.sumBy (fun n -> n.Args.Count))
    && edges |> List.forall (fun m -> declared.Contains m.Groups.[1].Value && declared.Contains m.Groups.[2].Value)

[<Fact>]
let ``a subterm shared by a loss and its gradient is one node, outputs are marked and named`` () =
    let w = Var64("w", 3)
    let s = Sin w
    let loss = Sum(s * s)
    let g = Ad.Grad(loss, w).[0]
    let dot = Expr.ToDot([| loss; g |], [| "loss"; "dloss/dw" |])
    let labels = nodeLines dot |> List.map (fun m -> m.Groups.[2].Value)
    Assert.Equal(1, labels |> List.filter (fun l -> l.StartsWith "sin(x)") |> List.length)
    Assert.Equal(1, labels |> List.filter (fun l -> l.StartsWith "w\\n") |> List.length)
    Assert.Equal(2, nodeLines dot |> List.filter (fun m -> m.Groups.[3].Value.Contains "peripheries=2") |> List.length)
    Assert.Contains("label=\"dloss/dw\"", dot)
    Assert.Equal((distinctNodes [ loss; g ]).Count, (nodeLines dot).Length)

[<Fact>]
let ``ToDot with a name per output refuses a count that does not match`` () =
    let w = Var64("w", 3)
    let ex = Assert.Throws<FunctionalADException>(fun () -> Expr.ToDot([| Sum w |], [| "a"; "b" |]) |> ignore)
    Assert.Contains("one name per expression", ex.Message)
