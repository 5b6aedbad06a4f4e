namespace FunctionalAD;

/// <summary>A <see cref="GradientTape"/> used in a way its settings do not allow, such as a second gradient from a non-persistent tape.</summary>
public sealed class TapeException : FunctionalADException
{
    /// <summary>A tape misuse, with a message saying what to do instead.</summary>
    public TapeException(string message) : base(message) { }
}
