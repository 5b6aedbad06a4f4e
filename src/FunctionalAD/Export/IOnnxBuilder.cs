namespace FunctionalAD;

/// <summary>
/// What a primitive needs to write itself as standard ONNX operators (default domain, opset 17 or newer).
/// FunctionalAD.Onnx implements it; the core only names operators, so it depends on no protobuf library.
/// Every method returns the name of the value it made, to be passed as an input to later nodes.
/// </summary>
public interface IOnnxBuilder
{
    /// <summary>Appends the node <paramref name="opType"/>(<paramref name="inputs"/>) with <paramref name="attributes"/>; returns its output's name.</summary>
    string Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes);

    /// <summary>
    /// Appends a node with <paramref name="outputs"/> outputs (TopK's values and indices, MaxPool's indices, Scan's
    /// final states and scan outputs); returns their names in order.
    /// </summary>
    string[] Node(string opType, IReadOnlyList<string> inputs, int outputs, params OnnxAttribute[] attributes);

    /// <summary>A constant tensor (an initializer); returns its name.</summary>
    string Constant(Tensor value);

    /// <summary>A constant 1-D int64 tensor, as ONNX wants for shapes, axes, starts and pads.</summary>
    string Int64s(params long[] values);

    /// <summary>A constant scalar of <paramref name="dtype"/>.</summary>
    string Scalar(double value, DType dtype);

    /// <summary>The ONNX TensorProto.DataType code of <paramref name="dtype"/> (FLOAT = 1, INT32 = 6, DOUBLE = 11).</summary>
    long TypeCode(DType dtype);

    /// <summary>
    /// The name of <paramref name="e"/>'s value, writing the nodes that compute it where not written yet: how a
    /// primitive defined by an expression (a custom function's body) exports that expression.
    /// </summary>
    string Value(Expr e);

    /// <summary>The opset the model declares.</summary>
    int Opset { get; }
}

/// <summary>An attribute of an ONNX node: an int, a list of ints, a float or a string.</summary>
public sealed record OnnxAttribute(string Name, object Value)
{
    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, value);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, IEnumerable<int> values) => new(name, values.Select(v => (long)v).ToArray());

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, value);

    /// <summary>A STRING attribute.</summary>
    public static OnnxAttribute String(string name, string value) => new(name, value);

    /// <summary>A GRAPH attribute: the body of a Scan, Loop or If.</summary>
    public static OnnxAttribute Graph(string name, OnnxSubgraph body) => new(name, body);
}

/// <summary>
/// A subgraph (the body of a control-flow node): typed inputs, and a function that writes its nodes with the builder
/// it is given (reading the inputs' names) and returns the names of its outputs, whose types it declares too.
/// Constants it makes belong to the subgraph; names of the outer graph are visible inside, as ONNX scoping allows.
/// </summary>
public sealed record OnnxSubgraph(
    IReadOnlyList<(DType DType, Shape Shape)> Inputs,
    IReadOnlyList<(DType DType, Shape Shape)> Outputs,
    Func<IOnnxBuilder, string[], string[]> Body);

public abstract partial class Primitive
{
    /// <summary>
    /// Writes this application as ONNX operators reading <paramref name="args"/> (the arguments' value names);
    /// returns the name of the value equal to the application. The default says the primitive has no mapping.
    /// </summary>
    internal virtual string Export(IOnnxBuilder b, Apply node, string[] args) =>
        throw new FunctionalADException($"ONNX export: primitive '{Name}' ({GetType().Name}) has no ONNX mapping, so this graph cannot be exported");
}
