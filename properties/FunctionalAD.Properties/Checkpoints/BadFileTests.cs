using System.IO.Compression;
using System.Text;
using FunctionalAD;
using Xunit;
using static FunctionalAD.Properties.Checkpoints.Files;

namespace FunctionalAD.Properties.Checkpoints;

/// <summary>
/// Every kind of bad file gives a <see cref="CheckpointFormatException"/> naming the file and the fault, from a file
/// path and from a stream whose length is unknown, and never a tensor; lying sizes never turn into allocations.
/// </summary>
public class BadFileTests
{
    private const string F4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    private static readonly byte[] Six = Floats(1, 2, 3, 4, 5, 6);

    /// <summary>Loads through a file and through an unseekable stream; both must fail with every fragment in the message.</summary>
    private static void AssertRefused(Func<string, object> fromPath, Func<Stream, object> fromStream, byte[] bytes, string file, params string[] fragments)
    {
        var path = ScratchWith(file, bytes);
        var e = Assert.Throws<CheckpointFormatException>(() => fromPath(path));
        Assert.Equal(path, e.FileName);
        Assert.StartsWith(path + ": ", e.Message);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
        var s = Assert.Throws<CheckpointFormatException>(() => fromStream(new UnseekableStream(new MemoryStream(bytes))));
        Assert.Equal("stream", s.FileName);
    }

    private static void Npy(byte[] bytes, params string[] fragments) =>
        AssertRefused(Tensor.LoadNpy, Tensor.LoadNpy, bytes, "bad.npy", fragments);

    private static void St(byte[] bytes, params string[] fragments) =>
        AssertRefused(Checkpoint.Load, Checkpoint.Load, bytes, "bad.safetensors", fragments);

    private static void Npz(byte[] bytes, params string[] fragments) =>
        AssertRefused(FunctionalAD.Npz.Load, FunctionalAD.Npz.Load, bytes, "bad.npz", fragments);

    // ---- .npy ----

    [Fact] public void Npy_empty_file() => Npy([], "not a .npy file", "too short");
    [Fact] public void Npy_wrong_magic() => Npy(Encoding.ASCII.GetBytes("PK\x03\x04 this is a zip, not an npy"), "not a .npy file", "504B0304", "\\x93NUMPY");
    [Fact] public void Npy_unknown_version() => Npy([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 4, 0, 0, 0], "version 4.0 is not supported");
    [Fact] public void Npy_truncated_in_the_header() => Npy(Files.Npy(F4, Six)[..40], "the header claims 118 bytes", "truncated");
    [Fact] public void Npy_truncated_data() => Npy(Files.Npy(F4, Six)[..^5], "promises 6 <f4 elements (24 bytes)", "truncated");
    [Fact] public void Npy_header_claims_more_elements_than_the_data() => Npy(Files.Npy(F4.Replace("(2, 3)", "(3, 3)"), Six), "promises 9 <f4 elements", "truncated");
    [Fact] public void Npy_unknown_dtype() => Npy(Files.Npy(F4.Replace("<f4", "<q7"), Six), "dtype '<q7'", "not supported");
    [Fact] public void Npy_header_not_a_literal() => Npy(Files.Npy("{'descr': <f4, }", Six), "not a Python dict literal");
    [Fact] public void Npy_header_not_a_dict() => Npy(Files.Npy("('<f4', False, (2, 3))", Six), "the header is not a dict");
    [Fact] public void Npy_header_missing_shape() => Npy(Files.Npy("{'descr': '<f4', 'fortran_order': False, }", Six), "lacks 'shape'");
    [Fact] public void Npy_header_extra_key() => Npy(Files.Npy(F4.Replace("}", "'x': 1, }"), Six), "unexpected key 'x'");
    [Fact] public void Npy_header_repeated_key() => Npy(Files.Npy(F4.Replace("}", "'shape': (6,), }"), Six), "'shape' twice");
    [Fact] public void Npy_fortran_order_not_a_bool() => Npy(Files.Npy(F4.Replace("False", "'no'"), Six), "'fortran_order' is 'no'");
    [Fact] public void Npy_negative_dimension() => Npy(Files.Npy(F4.Replace("(2, 3)", "(-2, 3)"), Six), "'shape' has -2 at position 0");
    [Fact] public void Npy_deeply_nested_header() => Npy(Files.Npy(new string('(', 5000) + new string(')', 5000), Six), "nesting deeper than 32");

    [Fact]
    public void Npy_data_longer_than_the_header_says()
    {
        var path = ScratchWith("long.npy", Files.Npy(F4.Replace("(2, 3)", "(2, 2)"), Six));
        var e = Assert.Throws<CheckpointFormatException>(() => Tensor.LoadNpy(path));
        Assert.Contains("8 bytes follow the 4 elements of shape (2, 2)", e.Message);
    }

    [Fact]
    public void Npy_header_length_over_the_limit()
    {
        var bytes = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0xFF, 0xFF, 0xFF, 0xFF };
        Npy(bytes, "claims 4294967295 bytes", "limit");
    }

    [Theory]
    [InlineData("(100000, 100000, 100000)", "more than 2147483647 elements")]
    [InlineData("(2147483648,)", "'shape' has 2147483648 at position 0")]
    [InlineData("(0, 3000000000)", "'shape' has 3000000000 at position 1")]
    [InlineData("(60000, 30000)", "promises 1800000000 <f4 elements (7200000000 bytes)")]
    public void Npy_huge_claimed_shapes_fail_without_allocating_them(string shape, string fragment)
    {
        var bytes = Files.Npy(F4.Replace("(2, 3)", shape), Six);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Npy(bytes, fragment);
        // Both the file (length known) and the unseekable stream (storage grows only as bytes arrive) stay small.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20);
    }

    // ---- .npz ----

    [Fact] public void Npz_not_a_zip() => Npz(Encoding.ASCII.GetBytes("this is not a zip archive at all, just some text"), "not a readable zip archive");

    private static byte[] Zip(params (string Name, byte[] Bytes)[] members)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in members)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(bytes);
            }
        return ms.ToArray();
    }

    [Fact] public void Npz_member_not_npy() => Npz(Zip(("w.npy", Files.Npy(F4, Six)), ("notes.txt", [1, 2, 3])), "member 'notes.txt' is not a .npy array");
    [Fact] public void Npz_member_truncated() => Npz(Zip(("w.npy", Files.Npy(F4, Six)[..^4])), "member 'w.npy'", "truncated");
    [Fact] public void Npz_member_wrong_magic() => Npz(Zip(("w.npy", [1, 2, 3, 4, 5, 6, 7, 8, 9])), "member 'w.npy'", "not a .npy file");
    [Fact] public void Npz_member_longer_than_its_header() => Npz(Zip(("w.npy", Files.Npy(F4.Replace("(2, 3)", "(5,)"), Six))), "member 'w.npy'", "bytes follow the 5 elements");
    [Fact] public void Npz_member_twice() => Npz(Zip(("w.npy", Files.Npy(F4, Six)), ("w.npy", Files.Npy(F4, Six))), "member 'w.npy' appears twice");

    // ---- safetensors ----

    private const string W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}";

    [Fact] public void St_too_short() => St([1, 2, 3], "not a safetensors file", "too short");
    [Fact] public void St_header_not_json_object() => St(Safetensors("[1,2,3]", []), "does not start with '{'");
    [Fact] public void St_wrong_magic_is_a_huge_header_length() => St(Encoding.ASCII.GetBytes("\x93NUMPY\x01\x00v\x00{'descr': '<f4'}"), "over the 100000000-byte limit");
    [Fact] public void St_header_length_past_the_end() => St(Safetensors("{" + W + "}", Six)[..30], "truncated");
    [Fact] public void St_invalid_json() => St(Safetensors("{\"w\":{\"dtype\":\"F32\",", Six), "not valid JSON");
    [Fact] public void St_unknown_dtype() => St(Safetensors("{" + W.Replace("F32", "C64") + "}", Six), "tensor 'w'", "dtype \"C64\" is not supported");
    [Fact] public void St_fp8_is_unsupported() => St(Safetensors("{" + W.Replace("F32", "F8_E4M3") + "}", Six), "dtype \"F8_E4M3\" is not supported");
    [Fact] public void St_shape_and_byte_count_disagree() => St(Safetensors("{" + W.Replace("[0,24]", "[0,16]") + "}", Six[..16]), "tensor 'w'", "needs 24 bytes", "span 16");
    [Fact] public void St_offsets_end_before_they_begin() => St(Safetensors("{" + W.Replace("[0,24]", "[24,0]") + "}", Six), "end before they begin");
    [Fact] public void St_offsets_not_integers() => St(Safetensors("{" + W.Replace("[0,24]", "[-1,23]") + "}", Six), "not two non-negative integers");
    [Fact] public void St_data_offsets_missing() => St(Safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3]}}", Six), "'data_offsets' is missing");
    [Fact] public void St_negative_dimension() => St(Safetensors("{" + W.Replace("[2,3]", "[-2,3]") + "}", Six), "'shape' has -2 at position 0");
    [Fact] public void St_huge_dimension() => St(Safetensors("{" + W.Replace("[2,3]", "[0,3000000000]") + "}", Six), "'shape' has 3000000000 at position 1");
    [Fact] public void St_huge_shape() => St(Safetensors("{" + W.Replace("[2,3]", "[100000,100000,100000]") + "}", Six), "more than 2147483647 elements");
    [Fact] public void St_duplicate_name() => St(Safetensors("{" + W + "," + W + "}", Six), "names 'w' twice");
    [Fact] public void St_metadata_not_strings() => St(Safetensors("{\"__metadata__\":{\"epoch\":3}," + W + "}", Six), "metadata values are strings");

    [Fact]
    public void St_overlapping_offsets() => St(Safetensors(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", Six),
        "tensors 'a' (data_offsets [0, 16]) and 'b' ([8, 24]) overlap");

    [Fact]
    public void St_gap_between_tensors() => St(Safetensors(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}", Six),
        "bytes 8..16 of the data belong to no tensor");

    [Fact]
    public void St_offsets_past_the_end_of_the_file()
    {
        var bytes = Safetensors("{" + W.Replace("[2,3]", "[2,30]").Replace("[0,24]", "[0,240]") + "}", Six);
        var path = ScratchWith("past.safetensors", bytes);
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.Contains("need 240 bytes of data", e.Message);
        Assert.Contains("holds 24", e.Message);
        // Without a known length the data runs out while reading.
        var s = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(new UnseekableStream(new MemoryStream(bytes))));
        Assert.Contains("truncated", s.Message);
    }

    [Fact]
    public void St_data_the_header_does_not_describe()
    {
        var bytes = Safetensors("{" + W + "}", [.. Six, .. Six]);
        St(bytes, "the header does not describe the data");
    }

    [Fact]
    public void St_huge_claimed_tensor_fails_without_allocating_it()
    {
        var bytes = Safetensors("{" + W.Replace("[2,3]", "[60000,30000]").Replace("[0,24]", "[0,7200000000]") + "}", Six);
        long before = GC.GetAllocatedBytesForCurrentThread();
        St(bytes, "7200000000");
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20);
    }

    [Fact]
    public void St_restore_from_a_bad_file_assigns_nothing()
    {
        var v = new Variable(Tensor.From(new[] { 7f, 7, 7, 7, 7, 7 }, new Shape(2, 3)), "w");
        var path = ScratchWith("bad.safetensors", Safetensors("{" + W + "}", Six)[..^4]);
        Assert.Throws<CheckpointFormatException>(() => Checkpoint.Restore(path, [v]));
        Assert.Equal(new[] { 7f, 7, 7, 7, 7, 7 }, v.Value.ToArray<float>());
    }
}
