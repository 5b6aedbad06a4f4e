namespace FunctionalAD;

/// <summary>
/// A .npy, .npz or safetensors file that cannot be read as written: wrong magic, truncated data, a header whose sizes
/// or offsets do not add up, or an element type FunctionalAD does not hold. The message names the file (and the
/// array inside it) and what is wrong; nothing is returned when this is thrown, so no tensor is ever half-filled.
/// </summary>
public sealed class CheckpointFormatException : FunctionalADException
{
    /// <summary>The file (or "stream" for a stream, or "archive.npz/member.npy" inside an archive) that was being read.</summary>
    public string FileName { get; }

    /// <summary>A format error in <paramref name="source"/>: <paramref name="problem"/>.</summary>
    public CheckpointFormatException(string source, string problem) : base($"{source}: {problem}") => FileName = source;
}

/// <summary>
/// Variables that do not fit a checkpoint they are restored from: a name the checkpoint lacks, a shape or dtype that
/// differs, or (when strict) checkpoint entries no variable claims. Every problem is listed, and no variable has
/// been assigned when this is thrown.
/// </summary>
public sealed class CheckpointMismatchException : FunctionalADException
{
    /// <summary>One line per problem, in the order of the variables.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>A mismatch between a checkpoint and the variables restored from it.</summary>
    public CheckpointMismatchException(string source, IReadOnlyList<string> problems)
        : base($"{source}: cannot restore the variables, nothing was assigned:\n  " + string.Join("\n  ", problems)) => Problems = problems;
}
