using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream;

/// <summary>Finds the shared recordings folder (see <see cref="MockUpstreamOptions.FixturesDir"/>).</summary>
internal static class FixtureLocator
{
    public const string EnvVar = "SWITCHBOARD_FIXTURES";

    /// <summary>The explicit directory if given, else env var, else <c>shared/fixtures</c> or <c>../shared/fixtures</c> walking up.</summary>
    public static string? Find(string? explicitDir)
    {
        if (!string.IsNullOrEmpty(explicitDir))
        {
            return Path.GetFullPath(explicitDir);
        }
        if (Environment.GetEnvironmentVariable(EnvVar) is { Length: > 0 } env)
        {
            return Path.GetFullPath(env);
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "fixtures"), Path.Combine(dir.FullName, "..", "shared", "fixtures") })
                {
                    if (Directory.Exists(Path.Combine(candidate, "openai")))
                    {
                        return Path.GetFullPath(candidate);
                    }
                }
            }
        }
        return null;
    }
}

/// <summary>
/// Replays recorded OpenAI streams (<c>fixture=NAME</c> knob): streaming requests get the file's events byte for
/// byte (stream knobs still apply), non-streaming requests get the stream folded into one chat.completion.
/// </summary>
internal static class FixtureReplayer
{
    /// <summary>Loads <c>{dir}/openai/{name}.sse</c> as frames, or returns the 500 that explains why it cannot.</summary>
    public static ApiError? TryLoad(MockState state, string name, out List<ReadOnlyMemory<byte>> frames) =>
        TryLoad(state, "openai", name, out frames);

    /// <summary>Loads <c>{dir}/{folder}/{name}.sse</c> (folder: openai, anthropic, gemini) as frames.</summary>
    public static ApiError? TryLoad(MockState state, string folder, string name, out List<ReadOnlyMemory<byte>> frames)
    {
        frames = [];
        var error = TryLoad(state, folder, name, ".sse", out byte[] bytes);
        if (error is null)
        {
            frames = SplitFrames(bytes);
        }
        return error;
    }

    /// <summary>Reads <c>{dir}/{folder}/{name}{extension}</c> in place, or returns the 500 that explains why it cannot.</summary>
    public static ApiError? TryLoad(MockState state, string folder, string name, string extension, out byte[] bytes)
    {
        bytes = [];
        if (state.FixturesDir is null)
        {
            return new ApiError(500,
                $"Mock upstream: fixture '{name}' requested but no fixtures directory was found. Set MockUpstreamOptions.FixturesDir, " +
                $"--fixtures or the {FixtureLocator.EnvVar} environment variable, or run from a checkout next to shared/fixtures.",
                "server_error");
        }
        if (!Directory.Exists(state.FixturesDir))
        {
            return new ApiError(500, $"Mock upstream: fixtures directory does not exist: {state.FixturesDir}", "server_error");
        }
        string path = Path.Combine(state.FixturesDir, folder, name + extension);
        if (!File.Exists(path))
        {
            return new ApiError(500, $"Mock upstream: fixture file not found: {path}", "server_error");
        }
        bytes = File.ReadAllBytes(path);
        return null;
    }

    /// <summary>
    /// Cuts the file after each blank line (<c>\n\n</c> or <c>\r\n\r\n</c>); each frame keeps its terminator, so
    /// the frames concatenated are the file again.
    /// </summary>
    public static List<ReadOnlyMemory<byte>> SplitFrames(byte[] bytes)
    {
        var frames = new List<ReadOnlyMemory<byte>>();
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            int end = -1;
            if (bytes[i] == '\n' && i + 1 < bytes.Length && bytes[i + 1] == '\n')
            {
                end = i + 2;
            }
            else if (bytes[i] == '\r' && i + 3 < bytes.Length && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                end = i + 4;
            }
            if (end > 0)
            {
                frames.Add(bytes.AsMemory(start, end - start));
                start = end;
                i = end - 1;
            }
        }
        if (start < bytes.Length)
        {
            frames.Add(bytes.AsMemory(start));
        }
        return frames;
    }

    public static async Task StreamAsync(SseStream stream, List<ReadOnlyMemory<byte>> frames)
    {
        foreach (var frame in frames)
        {
            if (!await stream.BeforeEventAsync() || !await stream.WriteRawEventAsync(frame))
            {
                return;
            }
        }
        stream.Finish();
    }

    public static Task WriteCompletionAsync(HttpContext ctx, List<ReadOnlyMemory<byte>> frames)
    {
        var assembled = Assemble(frames);
        HttpHelpers.AddOpenAIHeaders(ctx);
        return HttpHelpers.WriteJsonAsync(ctx, 200, assembled, static (w, a) => a.Write(w));
    }

    private static Assembled Assemble(List<ReadOnlyMemory<byte>> frames)
    {
        var result = new Assembled();
        foreach (var frame in frames)
        {
            string text = Encoding.UTF8.GetString(frame.Span);
            foreach (var line in text.Split('\n'))
            {
                string l = line.TrimEnd('\r');
                if (!l.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }
                string payload = l[5..].TrimStart();
                if (payload == "[DONE]")
                {
                    continue;
                }
                using var doc = JsonDocument.Parse(payload);
                result.Add(doc.RootElement);
            }
        }
        return result;
    }

    /// <summary>Accumulates chunk deltas per choice, the same way an SDK's stream helper builds the final message.</summary>
    private sealed class Assembled
    {
        private readonly SortedDictionary<int, ChoiceAcc> _choices = [];
        private string? _id;
        private long _created;
        private string? _model;
        private string? _fingerprint;
        private string? _serviceTier;
        private JsonElement? _usage;

        public void Add(JsonElement chunk)
        {
            _id ??= JsonShape.GetString(chunk, "id");
            _model ??= JsonShape.GetString(chunk, "model");
            _fingerprint ??= JsonShape.GetString(chunk, "system_fingerprint");
            _serviceTier ??= JsonShape.GetString(chunk, "service_tier");
            if (_created == 0 && JsonShape.TryGet(chunk, "created", out var created) && created.ValueKind == JsonValueKind.Number)
            {
                _created = created.GetInt64();
            }
            if (JsonShape.TryGetNonNull(chunk, "usage", out var usage))
            {
                _usage = usage.Clone();
            }
            if (!JsonShape.TryGet(chunk, "choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            {
                return;
            }
            foreach (var choice in choices.EnumerateArray())
            {
                int index = JsonShape.TryGet(choice, "index", out var ix) ? ix.GetInt32() : 0;
                if (!_choices.TryGetValue(index, out var acc))
                {
                    _choices[index] = acc = new ChoiceAcc();
                }
                acc.Add(choice);
            }
        }

        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("id"u8, _id);
            w.WriteString("object"u8, "chat.completion");
            w.WriteNumber("created"u8, _created);
            w.WriteString("model"u8, _model);
            w.WriteStartArray("choices"u8);
            foreach (var (index, acc) in _choices)
            {
                acc.Write(w, index);
            }
            w.WriteEndArray();
            if (_usage is { } usage)
            {
                w.WritePropertyName("usage"u8);
                usage.WriteTo(w);
            }
            if (_serviceTier is not null)
            {
                w.WriteString("service_tier"u8, _serviceTier);
            }
            w.WriteString("system_fingerprint"u8, _fingerprint);
            w.WriteEndObject();
        }
    }

    private sealed class ToolAcc
    {
        public string? Id { get; set; }
        public string Type { get; set; } = "function";
        public string? Name { get; set; }
        public StringBuilder Arguments { get; } = new();
    }

    private sealed class ChoiceAcc
    {
        private readonly SortedDictionary<int, ToolAcc> _tools = [];
        private StringBuilder? _content;
        private StringBuilder? _refusal;
        private string _role = "assistant";
        private string? _finish;
        private bool _hasLogprobs;
        private List<JsonElement>? _logContent;
        private List<JsonElement>? _logRefusal;

        public void Add(JsonElement choice)
        {
            if (JsonShape.GetString(choice, "finish_reason") is { } finish)
            {
                _finish = finish;
            }
            if (JsonShape.TryGetNonNull(choice, "logprobs", out var logprobs))
            {
                _hasLogprobs = true;
                Collect(logprobs, "content", ref _logContent);
                Collect(logprobs, "refusal", ref _logRefusal);
            }
            if (!JsonShape.TryGet(choice, "delta", out var delta))
            {
                return;
            }
            _role = JsonShape.GetString(delta, "role") ?? _role;
            if (JsonShape.GetString(delta, "content") is { } content)
            {
                (_content ??= new()).Append(content);
            }
            if (JsonShape.GetString(delta, "refusal") is { } refusal)
            {
                (_refusal ??= new()).Append(refusal);
            }
            if (JsonShape.TryGet(delta, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    int index = JsonShape.TryGet(call, "index", out var ix) ? ix.GetInt32() : 0;
                    if (!_tools.TryGetValue(index, out var tool))
                    {
                        _tools[index] = tool = new ToolAcc();
                    }
                    tool.Id ??= JsonShape.GetString(call, "id");
                    tool.Type = JsonShape.GetString(call, "type") ?? tool.Type;
                    if (JsonShape.TryGet(call, "function", out var fn))
                    {
                        tool.Name ??= JsonShape.GetString(fn, "name");
                        tool.Arguments.Append(JsonShape.GetString(fn, "arguments"));
                    }
                }
            }
        }

        private static void Collect(JsonElement logprobs, string name, ref List<JsonElement>? into)
        {
            if (JsonShape.TryGetNonNull(logprobs, name, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                into ??= [];
                foreach (var item in items.EnumerateArray())
                {
                    into.Add(item.Clone());
                }
            }
        }

        public void Write(Utf8JsonWriter w, int index)
        {
            w.WriteStartObject();
            w.WriteNumber("index"u8, index);
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, _role);
            WriteText(w, "content"u8, _content);
            if (_tools.Count > 0)
            {
                w.WriteStartArray("tool_calls"u8);
                foreach (var tool in _tools.Values)
                {
                    w.WriteStartObject();
                    w.WriteString("id"u8, tool.Id);
                    w.WriteString("type"u8, tool.Type);
                    w.WriteStartObject("function"u8);
                    w.WriteString("name"u8, tool.Name);
                    w.WriteString("arguments"u8, tool.Arguments.ToString());
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            WriteText(w, "refusal"u8, _refusal);
            w.WriteStartArray("annotations"u8);
            w.WriteEndArray();
            w.WriteEndObject();
            if (_hasLogprobs)
            {
                w.WriteStartObject("logprobs"u8);
                WriteList(w, "content"u8, _logContent);
                WriteList(w, "refusal"u8, _logRefusal);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("logprobs"u8);
            }
            w.WriteString("finish_reason"u8, _finish);
            w.WriteEndObject();
        }

        private static void WriteText(Utf8JsonWriter w, ReadOnlySpan<byte> name, StringBuilder? text)
        {
            if (text is null)
            {
                w.WriteNull(name);
            }
            else
            {
                w.WriteString(name, text.ToString());
            }
        }

        private static void WriteList(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<JsonElement>? items)
        {
            if (items is null)
            {
                w.WriteNull(name);
                return;
            }
            w.WriteStartArray(name);
            foreach (var item in items)
            {
                item.WriteTo(w);
            }
            w.WriteEndArray();
        }
    }
}
