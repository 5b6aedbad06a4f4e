using FunctionalAD;
using Xunit;
using static FunctionalAD.Properties.Checkpoints.Files;

namespace FunctionalAD.Properties.Checkpoints;

/// <summary>Variables save under their names and restore all or nothing, with shape and dtype checked first.</summary>
public class RestoreTests
{
    private static (Variable W, Variable B, Variable Step) Model() => (
        new Variable(Base(DType.Float32, 2, 3), "dense/kernel"),
        new Variable(Base(DType.Float64, 3), "dense/bias"),
        new Variable(Tensor.Scalar(5), "step", trainable: false));

    [Fact]
    public void Variables_restore_by_name_after_training_changed_them()
    {
        var (w, b, step) = Model();
        var path = Scratch("model.safetensors");
        Checkpoint.Save(path, [w, b, step]);
        w.Assign(Tensor.Zeros(new Shape(2, 3)));
        b.Assign(Tensor.Zeros(new Shape(3), DType.Float64));
        step.Assign(Tensor.Scalar(99));
        // Order does not matter: names do.
        Checkpoint.Restore(path, [step, b, w]);
        AssertIdentical(Base(DType.Float32, 2, 3), w.Value);
        AssertIdentical(Base(DType.Float64, 3), b.Value);
        AssertIdentical(Tensor.Scalar(5), step.Value);
        Assert.Equal(new[] { "dense/bias", "dense/kernel", "step" }, Checkpoint.Load(path).Keys);
    }

    [Fact]
    public void A_missing_name_a_wrong_shape_and_a_wrong_dtype_are_all_reported_and_nothing_is_assigned()
    {
        var (w, b, step) = Model();
        var path = Scratch("model.safetensors");
        Checkpoint.Save(path, [w, b]);
        var w2 = new Variable(Tensor.Zeros(new Shape(3, 2)), "dense/kernel");
        var b2 = new Variable(Tensor.Zeros(new Shape(3)), "dense/bias");
        var fine = new Variable(Tensor.Zeros(new Shape(2, 3)), "dense/kernel");
        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Restore(path, [w2, b2, step]));
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains("'dense/kernel': the checkpoint holds shape (2, 3) but the variable has shape (3, 2)", e.Message);
        Assert.Contains("'dense/bias': the checkpoint holds float64 but the variable is float32", e.Message);
        Assert.Contains("'step': not in the checkpoint (it holds 'dense/bias', 'dense/kernel')", e.Message);
        Assert.Contains("nothing was assigned", e.Message);
        // All or nothing: a variable that would have fitted keeps its value when another does not.
        Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Restore(path, [fine, step]));
        Assert.All(fine.Value.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Strict_restore_refuses_tensors_no_variable_claims()
    {
        var (w, b, _) = Model();
        var path = Scratch("model.safetensors");
        Checkpoint.Save(path, [w, b]);
        Checkpoint.Restore(path, [w]);
        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Restore(path, [w], strict: true));
        Assert.Contains("'dense/bias': in the checkpoint but no variable has this name", e.Message);
    }

    [Fact]
    public void Restore_takes_any_dictionary_such_as_an_npz_archive()
    {
        var (w, b, _) = Model();
        var path = Scratch("model.npz");
        Npz.Save(path, new Dictionary<string, Tensor> { [w.Name] = w.Value, [b.Name] = b.Value });
        w.Assign(Tensor.Zeros(new Shape(2, 3)));
        Checkpoint.Restore(Npz.Load(path), [w, b]);
        AssertIdentical(Base(DType.Float32, 2, 3), w.Value);
    }

    [Fact]
    public void Saving_two_variables_of_one_name_is_refused()
    {
        var a = new Variable(Tensor.Zeros(2), "v");
        var b = new Variable(Tensor.Ones(2), "v");
        var e = Assert.Throws<ArgumentException>(() => Checkpoint.Save(Scratch("x.safetensors"), [a, b]));
        Assert.Equal("variables", e.ParamName);
        Assert.Contains("two variables are named 'v'", e.Message);
    }

    [Fact]
    public void Bad_arguments_name_the_parameter_and_leave_an_existing_file_alone()
    {
        var path = Scratch("keep.safetensors");
        var good = new Dictionary<string, Tensor> { ["a"] = Tensor.Ones(2) };
        Checkpoint.Save(path, good);
        var before = File.ReadAllBytes(path);

        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => Checkpoint.Save((string)null!, good)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => Checkpoint.Load(" ")).ParamName);
        Assert.Equal("tensors", Assert.Throws<ArgumentNullException>(() => Checkpoint.Save(path, (IReadOnlyDictionary<string, Tensor>)null!)).ParamName);
        var reserved = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones(1) }));
        Assert.Equal("tensors", reserved.ParamName);
        var nullTensor = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, new Dictionary<string, Tensor> { ["a"] = null! }));
        Assert.Contains("tensor 'a' is null", nullTensor.Message);
        Assert.Equal("arrays", Assert.Throws<ArgumentException>(() => Npz.Save(path, new Dictionary<string, Tensor> { [""] = Tensor.Ones(1) })).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => Tensor.Ones(1).SaveNpy((string)null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => Tensor.LoadNpy((Stream)null!)).ParamName);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
    }

    [Fact]
    public void A_save_that_fails_midway_leaves_the_previous_file_and_no_temporary()
    {
        var path = Scratch("keep.npy");
        Tensor.Ones(3).SaveNpy(path);
        var before = File.ReadAllBytes(path);
        // A directory where the file should be makes the final move fail after the temporary is written.
        var dirPath = Scratch("dir.npy");
        Directory.CreateDirectory(dirPath);
        Assert.ThrowsAny<IOException>(() => Tensor.Ones(3).SaveNpy(dirPath));
        Assert.Equal(new[] { dirPath }, Directory.GetFileSystemEntries(Path.GetDirectoryName(dirPath)!));
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
