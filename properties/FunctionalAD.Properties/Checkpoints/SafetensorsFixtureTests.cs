using FunctionalAD;
using Xunit;
using static FunctionalAD.Properties.Checkpoints.Files;

namespace FunctionalAD.Properties.Checkpoints;

/// <summary>
/// safetensors files written by hand from the specification (Fixtures/make_safetensors_fixtures.py, checked there
/// against the reference implementation's own test vectors): we read them and write the identical bytes.
/// </summary>
public class SafetensorsFixtureTests
{
    private static Dictionary<string, Tensor> Mixed() => new()
    {
        ["weight"] = Base(DType.Float32, 2, 3),
        ["bias"] = Base(DType.Float32, 3),
        ["scale"] = Base(DType.Float64, 2),
        ["step"] = Tensor.Scalar(42),
        ["labels"] = Ints(2, 2, 2),
        ["kernel"] = Base(DType.Float32, 2, 1, 2, 3),
        ["empty"] = Base(DType.Float64, 0, 3),
    };

    private static readonly Dictionary<string, string> MixedMetadata = new() { ["format"] = "pt", ["epoch"] = "3" };

    [Fact]
    public void Reads_every_dtype_and_rank_with_metadata()
    {
        var loaded = Checkpoint.Load(Fixture("mixed.safetensors"));
        var expected = Mixed();
        Assert.Equal(expected.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, t) in expected) AssertIdentical(t, loaded[name]);
        // In the order of the data: float64 first, then float32, then int32, each by name.
        Assert.Equal(new[] { "empty", "scale", "bias", "kernel", "weight", "labels", "step" }, loaded.Keys);
        Assert.Equal(MixedMetadata.OrderBy(p => p.Key), Checkpoint.LoadMetadata(Fixture("mixed.safetensors")).OrderBy(p => p.Key));
    }

    [Fact]
    public void Writes_the_bytes_of_the_specification_whatever_the_dictionary_order()
    {
        var expected = FixtureBytes("mixed.safetensors");
        var forward = Mixed();
        var backward = forward.Reverse().ToDictionary(p => p.Key, p => p.Value);
        var path = Scratch("mixed.safetensors");
        Checkpoint.Save(path, forward, MixedMetadata);
        Assert.Equal(expected, File.ReadAllBytes(path));
        var ms = new MemoryStream();
        Checkpoint.Save(ms, backward, MixedMetadata.Reverse().ToDictionary(p => p.Key, p => p.Value));
        Assert.Equal(expected, ms.ToArray());
    }

    [Fact]
    public void Matches_the_reference_implementations_test_vectors()
    {
        var attn = new Dictionary<string, Tensor> { ["attn.0"] = Tensor.From(new[] { 0f, 1, 2, 3, 4, 5 }, new Shape(1, 2, 3)) };
        var ms = new MemoryStream();
        Checkpoint.Save(ms, attn);
        Assert.Equal(FixtureBytes("attn.safetensors"), ms.ToArray());
        AssertIdentical(attn["attn.0"], Checkpoint.Load(Fixture("attn.safetensors"))["attn.0"]);

        ms = new MemoryStream();
        Checkpoint.Save(ms, new Dictionary<string, Tensor>());
        Assert.Equal(FixtureBytes("empty.safetensors"), ms.ToArray());
        Assert.Empty(Checkpoint.Load(Fixture("empty.safetensors")));

        ms = new MemoryStream();
        Checkpoint.Save(ms, new Dictionary<string, Tensor>(), new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.Equal(FixtureBytes("empty_metadata.safetensors"), ms.ToArray());
        Assert.Equal("pt", Checkpoint.LoadMetadata(Fixture("empty_metadata.safetensors"))["framework"]);
    }

    [Fact]
    public void Reads_half_bfloat_and_integer_types_pytorch_saves()
    {
        var t = Checkpoint.Load(Fixture("widened.safetensors"));
        AssertIdentical(Base(DType.Float32, 4), t["half"]);
        AssertIdentical(Base(DType.Float32, 4), t["brain"]);
        AssertIdentical(Ints(2, 3), t["long"]);
        AssertIdentical(Ints(4), t["short"]);
        AssertIdentical(Tensor.From(new[] { 0, 1, 128, 255 }), t["byte"]);
        AssertIdentical(Tensor.From(new[] { 1, 0, 0, 1 }), t["mask"]);
    }

    [Fact]
    public void I64_values_outside_int32_are_refused_naming_tensor_and_element()
    {
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(Fixture("i64_overflow.safetensors")));
        Assert.Contains("tensor 'big'", e.Message);
        Assert.Contains("element 1 is 1099511627776", e.Message);
    }

    [Fact]
    public void Names_needing_json_escapes_and_non_ascii_round_trip()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["quote\"back\\slash"] = Tensor.Scalar(1f),
            ["tab\there\u0001"] = Tensor.Scalar(2f),
            ["größe/層"] = Tensor.Scalar(3f),
        };
        var ms = new MemoryStream();
        Checkpoint.Save(ms, tensors);
        var header = System.Text.Encoding.UTF8.GetString(ms.ToArray(), 8, (int)BitConverter.ToUInt64(ms.ToArray(), 0));
        // serde_json's escapes: short forms where JSON has them, \u00xx for other controls, non-ASCII as UTF-8.
        Assert.Contains("\"quote\\\"back\\\\slash\"", header);
        Assert.Contains("\"tab\\there\\u0001\"", header);
        Assert.Contains("\"größe/層\"", header);
        ms.Position = 0;
        var back = Checkpoint.Load(ms);
        foreach (var (name, t) in tensors) AssertIdentical(t, back[name]);
    }

    [Fact]
    public void Describe_lists_the_entries_from_the_header_alone()
    {
        var entries = Checkpoint.Describe(Fixture("widened.safetensors"));
        Assert.Equal(new[] { "long", "brain", "half", "short", "byte", "mask" }, entries.Select(e => e.Name));
        var half = entries.Single(e => e.Name == "half");
        Assert.Equal("F16", half.StoredDType);
        Assert.Equal(DType.Float32, half.DType);
        Assert.Equal(new Shape(4), half.Shape);
        Assert.Equal(8, half.ByteLength);
        Assert.Equal("long: I64 (2, 3)", entries[0].ToString());
        // The offsets point at the data: the bytes there decode to the tensor Load returns.
        var bytes = FixtureBytes("widened.safetensors");
        var longs = Enumerable.Range(0, 6).Select(i => (int)BitConverter.ToInt64(bytes, (int)entries[0].ByteOffset + 8 * i));
        AssertIdentical(Ints(6), Tensor.From(longs.ToArray()));
    }

    [Fact]
    public void Loading_some_tensors_reads_only_theirs()
    {
        // 'big' cannot be loaded (its values overflow int32), so loading 'ok' alone proves 'big' was never read.
        var path = Scratch("partial.safetensors");
        File.WriteAllBytes(path, Safetensors(
            "{\"big\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},\"ok\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
            [.. BitConverter.GetBytes(1L << 40), .. Floats(1.5f, -2f)]));
        Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        var some = Checkpoint.Load(path, ["ok"]);
        Assert.Equal(new[] { "ok" }, some.Keys);
        AssertIdentical(Tensor.From(new[] { 1.5f, -2f }), some["ok"]);

        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(path, ["ok", "nope"]));
        Assert.Contains("'nope': not in the checkpoint", e.Message);
    }
}
