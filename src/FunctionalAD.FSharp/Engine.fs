namespace FunctionalAD.FSharp

open FunctionalAD

/// <summary>
/// The plan cache behind every evaluation (<c>eval</c>, <c>Ad.Eval</c>, tapes, optimizers), from F#: compiled plans
/// keyed by graph structure, with constants and variables as their inputs. See docs/engine-cache.md.
/// </summary>
module Engine =

    /// <summary>Hits, misses, compilations, evictions, interpreted runs, compile failures, size and capacity so far.</summary>
    let statistics () : PlanCacheStatistics = PlanCache.Statistics

    /// <summary>Empties the cache and zeroes its counters.</summary>
    let clear () : unit = PlanCache.Clear()

    /// <summary>Keeps at most <paramref name="capacity"/> structures (least recently used go first).</summary>
    let setCapacity (capacity: int) : unit = Settings.PlanCacheCapacity <- capacity

    /// <summary>Compiles a small structure on its <paramref name="uses"/>-th use (1: at once; default 2).</summary>
    let setCompileAfterUses (uses: int) : unit = Settings.CompileAfterUses <- uses
