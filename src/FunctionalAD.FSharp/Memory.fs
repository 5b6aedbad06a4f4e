namespace FunctionalAD.FSharp

open FunctionalAD

/// <summary>
/// The pool that recycles large result storage (arrays of 85,000 bytes and up) between evaluations, from F#: a result
/// array returns to it when no tensor over it is reachable any more, with no Dispose. See docs/memory.md.
/// </summary>
module Memory =

    /// <summary>Hits, misses, returned, dropped and escaped arrays, collections asked for, free and leased bytes, capacity.</summary>
    let statistics () : ResultPoolStatistics = ResultPool.Statistics

    /// <summary>Drops every free array and zeroes the counters.</summary>
    let clear () : unit = ResultPool.Clear()

    /// <summary>Keeps at most <paramref name="bytes"/> of free result storage (default 256 MiB); 0 turns pooling off.</summary>
    let setPoolBytes (bytes: int64) : unit = Settings.ResultPoolBytes <- bytes
