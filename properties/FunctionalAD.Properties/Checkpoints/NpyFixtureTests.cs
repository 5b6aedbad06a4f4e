using System.IO.Compression;
using FunctionalAD;
using Xunit;
using static FunctionalAD.Properties.Checkpoints.Files;

namespace FunctionalAD.Properties.Checkpoints;

/// <summary>
/// .npy and .npz files written by NumPy 1.24 (Fixtures/make_npy_fixtures.py): we read them, and for the arrays
/// FunctionalAD can write we write the identical bytes.
/// </summary>
public class NpyFixtureTests
{
    public static TheoryData<string, Tensor> COrder => new()
    {
        { "f4_2x3.npy", Base(DType.Float32, 2, 3) },
        { "f8_5.npy", Base(DType.Float64, 5) },
        { "i4_2x2x2.npy", Ints(2, 2, 2) },
        { "f4_scalar.npy", Base(DType.Float32) },
        { "f8_0x3.npy", Base(DType.Float64, 0, 3) },
        { "f4_2x1x2x3.npy", Base(DType.Float32, 2, 1, 2, 3) },
    };

    [Theory, MemberData(nameof(COrder))]
    public void Reads_what_numpy_save_writes(string file, Tensor expected) =>
        AssertIdentical(expected, Tensor.LoadNpy(Fixture(file)));

    [Theory, MemberData(nameof(COrder))]
    public void Writes_the_bytes_numpy_save_writes(string file, Tensor tensor)
    {
        var ms = new MemoryStream();
        tensor.SaveNpy(ms);
        Assert.Equal(FixtureBytes(file), ms.ToArray());
        var path = Scratch(file);
        tensor.SaveNpy(path);
        Assert.Equal(FixtureBytes(file), File.ReadAllBytes(path));
    }

    public static TheoryData<string, Tensor> Foreign => new()
    {
        // Fortran order: the data is column-major and must be transposed on load.
        { "f4_fortran_2x3.npy", Base(DType.Float32, 2, 3) },
        { "f8_fortran_2x3x4.npy", Base(DType.Float64, 2, 3, 4) },
        // Big-endian: every element byte-swapped.
        { "f4_big_2x3.npy", Base(DType.Float32, 2, 3) },
        { "f8_big_5.npy", Base(DType.Float64, 5) },
        { "i4_big_2x2x2.npy", Ints(2, 2, 2) },
        { "i4_big_fortran_2x2x2.npy", Ints(2, 2, 2) },
        // Header formats 2.0 (4-byte length) and 3.0 (UTF-8).
        { "f4_v2_2x3.npy", Base(DType.Float32, 2, 3) },
        { "f4_v3_2x3.npy", Base(DType.Float32, 2, 3) },
        // Other widths, converted: int64 and int16 to int32 (values fit), float16 to float32, uint8 and bool to int32.
        { "i8_2x3.npy", Ints(2, 3) },
        { "i8_big_2x3.npy", Ints(2, 3) },
        { "i2_big_4.npy", Ints(4) },
        { "f2_4.npy", Base(DType.Float32, 4) },
        { "u1_4.npy", Tensor.From(new[] { 0, 1, 128, 255 }) },
        { "b1_4.npy", Tensor.From(new[] { 1, 0, 0, 1 }) },
    };

    [Theory, MemberData(nameof(Foreign))]
    public void Reads_fortran_order_big_endian_other_versions_and_widths(string file, Tensor expected)
    {
        AssertIdentical(expected, Tensor.LoadNpy(Fixture(file)));
        using var fs = File.OpenRead(Fixture(file));
        AssertIdentical(expected, Tensor.LoadNpy(new UnseekableStream(fs)));
    }

    [Fact]
    public void The_fortran_fixture_really_is_column_major()
    {
        // Guards the test above: read as C order, the fixture's data would be the transpose's elements.
        var bytes = FixtureBytes("f4_fortran_2x3.npy");
        var data = bytes.AsSpan(bytes.Length - 24).ToArray();
        var asC = Enumerable.Range(0, 6).Select(i => BitConverter.ToSingle(data, 4 * i)).ToArray();
        Assert.Equal(new[] { -1f, 0.5f, -0.5f, 1f, 0f, 1.5f }, asC);
    }

    public static TheoryData<string, string[]> Unsupported => new()
    {
        { "c8_2.npy", new[] { "'<c8'", "complex" } },
        { "O_2.npy", new[] { "'|O'", "Python objects", "pickle" } },
        { "U_2.npy", new[] { "'<U2'", "strings" } },
        { "record_2.npy", new[] { "structured" } },
    };

    [Theory, MemberData(nameof(Unsupported))]
    public void Refuses_unsupported_dtypes_by_name(string file, string[] mentions)
    {
        var e = Assert.Throws<CheckpointFormatException>(() => Tensor.LoadNpy(Fixture(file)));
        Assert.Equal(Fixture(file), e.FileName);
        Assert.Contains(file, e.Message);
        foreach (var m in mentions) Assert.Contains(m, e.Message);
    }

    [Fact]
    public void Int64_values_outside_int32_are_refused_naming_the_element()
    {
        var e = Assert.Throws<CheckpointFormatException>(() => Tensor.LoadNpy(Fixture("i8_overflow.npy")));
        Assert.Contains("element 1 is 1099511627776", e.Message);
        Assert.Contains("int32", e.Message);
    }

    [Theory]
    [InlineData("stored.npz")]
    [InlineData("deflated.npz")]
    public void Reads_savez_and_savez_compressed_archives(string file)
    {
        var arrays = Npz.Load(Fixture(file));
        Assert.Equal(new[] { "w", "b", "labels" }, arrays.Keys);
        AssertIdentical(Base(DType.Float32, 2, 3), arrays["w"]);
        AssertIdentical(Base(DType.Float64, 3), arrays["b"]);
        AssertIdentical(Ints(4), arrays["labels"]);
    }

    private static Dictionary<string, Tensor> FixtureArrays() => new()
    {
        ["w"] = Base(DType.Float32, 2, 3),
        ["b"] = Base(DType.Float64, 3),
        ["labels"] = Ints(4),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Archive_members_are_the_bytes_numpy_writes(bool compressed)
    {
        var path = Scratch("ours.npz");
        Npz.Save(path, FixtureArrays(), compressed);
        using var ours = ZipFile.OpenRead(path);
        using var theirs = ZipFile.OpenRead(Fixture("stored.npz"));
        Assert.Equal(theirs.Entries.Select(e => e.FullName), ours.Entries.Select(e => e.FullName));
        foreach (var entry in ours.Entries)
        {
            Assert.Equal(Read(theirs.GetEntry(entry.FullName)!), Read(entry));
            // Stored as numpy.savez stores, deflated as numpy.savez_compressed deflates.
            if (compressed) Assert.True(entry.CompressedLength < entry.Length);
            else Assert.Equal(entry.Length, entry.CompressedLength);
        }
    }

    [Fact]
    public void Saving_the_same_arrays_twice_gives_the_same_archive()
    {
        var a = new MemoryStream();
        var b = new MemoryStream();
        Npz.Save(a, FixtureArrays());
        Npz.Save(b, FixtureArrays());
        Assert.Equal(a.ToArray(), b.ToArray());
        // Not the clock: a fixed member timestamp, the zip epoch.
        using var zip = new ZipArchive(a, ZipArchiveMode.Read);
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(1980, 1, 1), e.LastWriteTime.DateTime));
    }

    private static byte[] Read(ZipArchiveEntry e)
    {
        using var s = e.Open();
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Several_arrays_read_back_in_turn_from_one_stream()
    {
        var ms = new MemoryStream();
        Base(DType.Float32, 2, 3).SaveNpy(ms);
        Ints(4).SaveNpy(ms);
        ms.Position = 0;
        AssertIdentical(Base(DType.Float32, 2, 3), Tensor.LoadNpy(ms));
        AssertIdentical(Ints(4), Tensor.LoadNpy(ms));
        Assert.Equal(ms.Length, ms.Position);
    }
}
