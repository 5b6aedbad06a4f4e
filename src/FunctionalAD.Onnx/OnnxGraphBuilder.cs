using System.Runtime.CompilerServices;
using Google.Protobuf;
using P = global::Onnx;

namespace FunctionalAD;

/// <summary>Collects the nodes and initializers of one ONNX graph as primitives write themselves into it.</summary>
internal sealed class OnnxGraphBuilder(int opset) : IOnnxBuilder
{
    // Shared with the subgraphs written inside this graph, so every name in the model is unique.
    private StrongBox<int> _counter = new(0);
    private ref int _next => ref _counter.Value;
    private readonly Dictionary<Expr, string> _names = new(ReferenceEqualityComparer.Instance);

    /// <summary>Makes <paramref name="v"/> a graph input of its own name.</summary>
    public void Input(Var v)
    {
        _names[v] = v.Name;
        Graph.Input.Add(ValueInfo(v.Name, v));
    }

    public string Value(Expr e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_names.TryGetValue(e, out var known)) return known;
        foreach (var n in FunctionalAD.Graph.Reachable(new[] { e }))
        {
            if (_names.ContainsKey(n)) continue;
            _names[n] = n switch
            {
                Var v => throw new FunctionalADException(
                    $"ONNX export: the outputs depend on variable '{v.Name}' {v.Shape}, which is not among the inputs (list it in inputs, or bind it as a constant)"),
                Const c => Constant(c.Value),
                Apply a => a.Op.Export(this, a, a.Args.Select(x => _names[x]).ToArray()),
                _ => throw new FunctionalADException($"ONNX export: unknown node {n}"),
            };
        }
        return _names[e];
    }

    public P.GraphProto Graph { get; } = new() { Name = "FunctionalAD" };

    public int Opset => opset;

    public string Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    public string[] Node(string opType, IReadOnlyList<string> inputs, int outputs, params OnnxAttribute[] attributes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        var first = $"{opType.ToLowerInvariant()}_{_next++}";
        var names = Enumerable.Range(0, outputs).Select(i => i == 0 ? first : $"{first}_{i}").ToArray();
        var node = new P.NodeProto { OpType = opType, Name = first };
        node.Input.AddRange(inputs);
        node.Output.AddRange(names);
        foreach (var a in attributes) node.Attribute.Add(Attribute(a));
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>Writes <paramref name="sub"/> as a graph of its own, its names drawn from this model's counter.</summary>
    private P.GraphProto Subgraph(OnnxSubgraph sub)
    {
        var inner = new OnnxGraphBuilder(opset) { _counter = _counter };
        inner.Graph.Name = $"body_{_next++}";
        var inputs = sub.Inputs.Select(i =>
        {
            var name = $"body_in_{_next++}";
            inner.Graph.Input.Add(ValueInfo(name, i.DType, i.Shape));
            return name;
        }).ToArray();
        var outputs = sub.Body(inner, inputs);
        if (outputs.Length != sub.Outputs.Count)
            throw new FunctionalADException($"ONNX export: a subgraph declares {sub.Outputs.Count} outputs but its body returned {outputs.Length}");
        for (int k = 0; k < outputs.Length; k++)
        {
            // A graph output must be produced by a node of the graph, so an input passed straight through gets an Identity.
            var name = inputs.Contains(outputs[k]) || outputs.Take(k).Contains(outputs[k]) ? inner.Node("Identity", [outputs[k]]) : outputs[k];
            inner.Graph.Output.Add(ValueInfo(name, sub.Outputs[k].DType, sub.Outputs[k].Shape));
        }
        return inner.Graph;
    }

    public string Constant(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = $"const_{_next++}";
        Graph.Initializer.Add(TensorProto(name, value));
        return name;
    }

    public string Int64s(params long[] values)
    {
        var name = $"const_{_next++}";
        var t = new P.TensorProto { Name = name, DataType = (int)P.TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        Graph.Initializer.Add(t);
        return name;
    }

    public string Scalar(double value, DType dtype) => Constant(dtype switch
    {
        DType.Float32 => Tensor.Scalar((float)value),
        DType.Float64 => Tensor.Scalar(value),
        _ => Tensor.Scalar((int)value),
    });

    public long TypeCode(DType dtype) => (long)ElemType(dtype);

    internal static P.TensorProto.Types.DataType ElemType(DType dtype) => dtype switch
    {
        DType.Float32 => P.TensorProto.Types.DataType.Float,
        DType.Float64 => P.TensorProto.Types.DataType.Double,
        DType.Int32 => P.TensorProto.Types.DataType.Int32,
        _ => throw new FunctionalADException($"ONNX export: dtype {dtype} has no ONNX element type"),
    };

    /// <summary>A tensor as an initializer, its elements little-endian in raw_data as ONNX stores them.</summary>
    internal static P.TensorProto TensorProto(string name, Tensor value)
    {
        var t = new P.TensorProto { Name = name, DataType = (int)ElemType(value.DType) };
        foreach (var d in value.Shape.ToArray()) t.Dims.Add(d);
        var bytes = value.DType switch
        {
            DType.Float32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.ToArray<float>().AsSpan()).ToArray(),
            DType.Float64 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.ToArray<double>().AsSpan()).ToArray(),
            _ => System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.ToArray<int>().AsSpan()).ToArray(),
        };
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX export writes raw tensor data on little-endian machines only");
        t.RawData = ByteString.CopyFrom(bytes);
        return t;
    }

    /// <summary>A graph input or output: name, element type and fixed shape.</summary>
    internal static P.ValueInfoProto ValueInfo(string name, Expr e) => ValueInfo(name, e.DType, e.Shape);

    private static P.ValueInfoProto ValueInfo(string name, DType dtype, Shape s)
    {
        var shape = new P.TensorShapeProto();
        foreach (var d in s.ToArray()) shape.Dim.Add(new P.TensorShapeProto.Types.Dimension { DimValue = d });
        return new P.ValueInfoProto
        {
            Name = name,
            Type = new P.TypeProto { TensorType = new P.TypeProto.Types.Tensor { ElemType = (int)ElemType(dtype), Shape = shape } },
        };
    }

    private P.AttributeProto Attribute(OnnxAttribute a)
    {
        var p = new P.AttributeProto { Name = a.Name };
        switch (a.Value)
        {
            case long i: p.Type = P.AttributeProto.Types.AttributeType.Int; p.I = i; break;
            case int i: p.Type = P.AttributeProto.Types.AttributeType.Int; p.I = i; break;
            case long[] ints: p.Type = P.AttributeProto.Types.AttributeType.Ints; p.Ints.AddRange(ints); break;
            case float f: p.Type = P.AttributeProto.Types.AttributeType.Float; p.F = f; break;
            case string s: p.Type = P.AttributeProto.Types.AttributeType.String; p.S = ByteString.CopyFromUtf8(s); break;
            case OnnxSubgraph g: p.Type = P.AttributeProto.Types.AttributeType.Graph; p.G = Subgraph(g); break;
            default: throw new FunctionalADException($"ONNX export: attribute '{a.Name}' has a value of unsupported type {a.Value?.GetType().Name ?? "null"}");
        }
        return p;
    }
}
