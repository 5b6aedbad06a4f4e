/// Reference numbers computed in plain F# doubles, independently of the library.
module FunctionalAD.FSharp.Tests.Numbers

open FunctionalAD
open FsCheck
open FsCheck.FSharp

/// |a - b| ≤ atol + rtol·|b| element by element.
let close (rtol: float) (atol: float) (actual: float[]) (expected: float[]) =
    actual.Length = expected.Length
    && Array.forall2 (fun a e -> abs (a - e) <= atol + rtol * abs e) actual expected

/// The values of a tensor as doubles.
let values (t: Tensor) = t.ToDoubleArray()

/// Central finite differences of a scalar function of a vector.
let numericGradient (f: float[] -> float) (x: float[]) =
    let h = 1e-6
    x |> Array.mapi (fun i _ ->
        let plus = Array.copy x
        let minus = Array.copy x
        plus.[i] <- plus.[i] + h
        minus.[i] <- minus.[i] - h
        (f plus - f minus) / (2.0 * h))

/// Vectors of 1 to 6 doubles in [lo, hi], with two decimals so counterexamples read well.
let vectorIn (lo: float) (hi: float) : Gen<float[]> =
    gen {
        let! n = Gen.choose (1, 6)
        return! Gen.arrayOfLength n (Gen.choose (int (lo * 100.0), int (hi * 100.0)) |> Gen.map (fun k -> float k / 100.0))
    }

/// Generators the properties name through their Arbitrary attribute.
type Vectors =
    /// Values anywhere in [-3, 3].
    static member Any() : Arbitrary<float[]> = Arb.fromGen (vectorIn -3.0 3.0)
