namespace FunctionalAD;

public sealed partial class Tensor
{
    /// <summary>
    /// Writes this tensor as a NumPy .npy file (format 1.0, C order, little-endian '&lt;f4', '&lt;f8' or '&lt;i4'),
    /// byte for byte what <c>numpy.save</c> writes for the same array, so <c>numpy.load(path)</c> reads it.
    /// The file is written to a temporary sibling and moved into place, so a failed save leaves no partial file.
    /// </summary>
    /// <param name="path">The file to create or replace; by NumPy's convention it ends in .npy.</param>
    public void SaveNpy(string path)
    {
        AtomicFile.CheckPath(path, nameof(path));
        AtomicFile.Write(path, s => NpyFormat.Write(s, this));
    }

    /// <summary>Writes this tensor as a .npy file to <paramref name="stream"/> at its position (see <see cref="SaveNpy(string)"/>).</summary>
    public void SaveNpy(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("the stream is not writable", nameof(stream));
        NpyFormat.Write(stream, this);
    }

    /// <summary>
    /// Reads a NumPy .npy file of format 1.0, 2.0 or 3.0. Float arrays load as float32 ('f2', 'f4') or float64 ('f8');
    /// integer and bool arrays load as int32, and 'i8', 'u4' and 'u8' values must fit int32. Big-endian data is
    /// byte-swapped and Fortran-order data is transposed into FunctionalAD's row-major layout.
    /// </summary>
    /// <exception cref="CheckpointFormatException">
    /// The file is not a .npy file, its header is malformed, its dtype is unsupported (complex, object, string,
    /// structured), an integer does not fit int32, or the data is shorter or longer than the header says.
    /// </exception>
    public static Tensor LoadNpy(string path)
    {
        AtomicFile.CheckPath(path, nameof(path));
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var t = NpyFormat.Read(fs, trustLength: true, path, "array");
        long extra = fs.Length - fs.Position;
        if (extra > 0)
            throw new CheckpointFormatException(path, $"array: {extra} bytes follow the {t.Size} elements of shape {t.Shape} the header describes; the header does not match the data");
        return t;
    }

    /// <summary>
    /// Reads one .npy array from <paramref name="stream"/> at its position and leaves the stream just after it, so
    /// several arrays written one after another (as repeated <c>numpy.save(f, a)</c> calls write them) read back in turn.
    /// </summary>
    /// <exception cref="CheckpointFormatException">As for <see cref="LoadNpy(string)"/>, except that bytes after the array are left unread.</exception>
    public static Tensor LoadNpy(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead) throw new ArgumentException("the stream is not readable", nameof(stream));
        return NpyFormat.Read(stream, trustLength: true, "stream", "array");
    }
}
