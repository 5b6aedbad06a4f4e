using Google.Protobuf;
using P = global::Onnx;

namespace FunctionalAD;

/// <summary>Collects the nodes and initializers of one ONNX graph as primitives write themselves into it.</summary>
internal sealed class OnnxGraphBuilder(int opset) : IOnnxBuilder
{
    private int _next;
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

    public string Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var output = $"{opType.ToLowerInvariant()}_{_next++}";
        var node = new P.NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var a in attributes) node.Attribute.Add(Attribute(a));
        Graph.Node.Add(node);
        return output;
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
    internal static P.ValueInfoProto ValueInfo(string name, Expr e)
    {
        var shape = new P.TensorShapeProto();
        foreach (var d in e.Shape.ToArray()) shape.Dim.Add(new P.TensorShapeProto.Types.Dimension { DimValue = d });
        return new P.ValueInfoProto
        {
            Name = name,
            Type = new P.TypeProto { TensorType = new P.TypeProto.Types.Tensor { ElemType = (int)ElemType(e.DType), Shape = shape } },
        };
    }

    private static P.AttributeProto Attribute(OnnxAttribute a)
    {
        var p = new P.AttributeProto { Name = a.Name };
        switch (a.Value)
        {
            case long i: p.Type = P.AttributeProto.Types.AttributeType.Int; p.I = i; break;
            case int i: p.Type = P.AttributeProto.Types.AttributeType.Int; p.I = i; break;
            case long[] ints: p.Type = P.AttributeProto.Types.AttributeType.Ints; p.Ints.AddRange(ints); break;
            case float f: p.Type = P.AttributeProto.Types.AttributeType.Float; p.F = f; break;
            case string s: p.Type = P.AttributeProto.Types.AttributeType.String; p.S = ByteString.CopyFromUtf8(s); break;
            default: throw new FunctionalADException($"ONNX export: attribute '{a.Name}' has a value of unsupported type {a.Value?.GetType().Name ?? "null"}");
        }
        return p;
    }
}
