using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream;

/// <summary>
/// <c>POST /v1/embeddings</c> (and Azure's): deterministic unit vectors seeded from the input text, so the same
/// input always embeds to the same vector and tests can compare float and base64 answers.
/// </summary>
internal static class EmbeddingsEndpoint
{
    private static readonly FrozenSet<string> Known = FrozenSet.ToFrozenSet(["input", "model", "encoding_format", "dimensions", "user"]);
    private static readonly string[] Encodings = ["float", "base64"];
    private const int MaxInputs = 2048;

    private readonly record struct EmbeddingInput(string SeedText, int Tokens);

    private sealed record EmbeddingJob(List<EmbeddingInput> Inputs, string Model, int Dimensions, bool Base64);

    public static async Task HandleAsync(ApiRequest api)
    {
        var ctx = api.Http;
        var error = RequestBody.Parse(ctx.Request, api.Body, out var doc);
        EmbeddingJob? job = null;
        if (error is null)
        {
            using (doc)
            {
                error = Validate(doc!.RootElement, api.AzureDeployment, out job);
            }
        }
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(ctx, error);
            return;
        }
        HttpHelpers.AddOpenAIHeaders(ctx);
        await HttpHelpers.WriteJsonAsync(ctx, 200, job!, Write);
    }

    private static ApiError? Validate(JsonElement root, string? azureDeployment, out EmbeddingJob? job)
    {
        job = null;
        if (OpenAIErrors.CheckModelAndMembers(root, azureDeployment, Known, out var model) is { } modelOrMemberError)
        {
            return modelOrMemberError;
        }

        if (!JsonShape.TryGetNonNull(root, "input", out var input))
        {
            return OpenAIErrors.MissingRequired("input");
        }
        var inputs = ReadInputs(input);
        if (inputs is null)
        {
            return OpenAIErrors.Invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.");
        }

        bool base64 = false;
        if (JsonShape.TryGetNonNull(root, "encoding_format", out var enc))
        {
            if (enc.ValueKind != JsonValueKind.String)
            {
                return OpenAIErrors.InvalidType("encoding_format", "a string", enc);
            }
            string e = enc.GetString()!;
            if (Array.IndexOf(Encodings, e) < 0)
            {
                return OpenAIErrors.InvalidValue("encoding_format", e, Encodings);
            }
            base64 = e == "base64";
        }

        var info = ModelCatalog.Find(model);
        if (info is null)
        {
            return azureDeployment is not null ? AzureErrors.DeploymentNotFound() : OpenAIErrors.ModelNotFound(model);
        }
        if (info.Kind is ModelKind.Chat or ModelKind.Reasoning)
        {
            return azureDeployment is not null ? AzureErrors.OperationNotSupported("embeddings", model) : OpenAIErrors.NotAnEmbeddingModel();
        }

        int dimensions = info.EmbeddingDimensions;
        if (JsonShape.TryGetNonNull(root, "dimensions", out var dims))
        {
            if (!JsonShape.IsInteger(dims))
            {
                return OpenAIErrors.InvalidType("dimensions", "an integer", dims);
            }
            if (!dims.TryGetInt32(out int d) || d < 1)
            {
                return OpenAIErrors.BelowMin("dimensions", true, "1", dims.GetRawText());
            }
            if (d > info.EmbeddingDimensions)
            {
                return OpenAIErrors.AboveMax("dimensions", true, info.EmbeddingDimensions.ToString(), dims.GetRawText());
            }
            dimensions = d;
        }
        job = new EmbeddingJob(inputs, model, dimensions, base64);
        return null;
    }

    /// <summary>string | string[] | int[] (one tokenized input) | int[][]; null when the shape or an item is invalid or empty.</summary>
    private static List<EmbeddingInput>? ReadInputs(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            string s = input.GetString()!;
            return s.Length == 0 ? null : [FromText(s)];
        }
        if (input.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        int count = input.GetArrayLength();
        if (count == 0 || count > MaxInputs)
        {
            return null;
        }
        var first = input[0];
        if (first.ValueKind == JsonValueKind.Number)
        {
            return FromTokens(input) is { } single ? [single] : null;
        }
        var inputs = new List<EmbeddingInput>(count);
        foreach (var item in input.EnumerateArray())
        {
            if (item.ValueKind != first.ValueKind)
            {
                return null;
            }
            if (item.ValueKind == JsonValueKind.String)
            {
                string s = item.GetString()!;
                if (s.Length == 0)
                {
                    return null;
                }
                inputs.Add(FromText(s));
            }
            else if (item.ValueKind == JsonValueKind.Array && FromTokens(item) is { } tokens)
            {
                inputs.Add(tokens);
            }
            else
            {
                return null;
            }
        }
        return inputs;
    }

    private static EmbeddingInput FromText(string s) => new(s, Math.Max(1, (s.Length + 3) / 4));

    private static EmbeddingInput? FromTokens(JsonElement array)
    {
        int count = array.GetArrayLength();
        if (count == 0)
        {
            return null;
        }
        var sb = new StringBuilder("tokens:");
        foreach (var t in array.EnumerateArray())
        {
            if (!JsonShape.IsInteger(t) || !t.TryGetInt32(out int id) || id < 0)
            {
                return null;
            }
            sb.Append(id).Append(',');
        }
        return new EmbeddingInput(sb.ToString(), count);
    }

    private static void Write(Utf8JsonWriter w, EmbeddingJob job)
    {
        var vector = new float[job.Dimensions];
        byte[]? raw = job.Base64 ? new byte[job.Dimensions * 4] : null;
        int tokens = 0;
        w.WriteStartObject();
        w.WriteString("object"u8, "list");
        w.WriteStartArray("data"u8);
        for (int i = 0; i < job.Inputs.Count; i++)
        {
            tokens += job.Inputs[i].Tokens;
            Fill(vector, job.Inputs[i].SeedText);
            w.WriteStartObject();
            w.WriteString("object"u8, "embedding");
            w.WriteNumber("index"u8, i);
            if (raw is not null)
            {
                for (int k = 0; k < vector.Length; k++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(k * 4), vector[k]);
                }
                w.WriteBase64String("embedding"u8, raw);
            }
            else
            {
                w.WriteStartArray("embedding"u8);
                foreach (float f in vector)
                {
                    w.WriteNumberValue(f);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("model"u8, job.Model);
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, tokens);
        w.WriteNumber("total_tokens"u8, tokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Fills a unit-length vector from a SplitMix64 sequence seeded with the text's FNV-1a hash.</summary>
    internal static void Fill(Span<float> vector, string seedText)
    {
        ulong state = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(seedText))
        {
            state = (state ^ b) * 1099511628211UL;
        }
        double sumSquares = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            double v = ((z >> 11) * (1.0 / (1UL << 53) * 2.0)) - 1.0;
            vector[i] = (float)v;
            sumSquares += v * v;
        }
        float norm = (float)Math.Sqrt(sumSquares);
        if (norm > 0)
        {
            for (int i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }
    }
}
