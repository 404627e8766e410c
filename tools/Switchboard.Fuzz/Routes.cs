namespace Switchboard.Fuzz;

/// <summary>Who a route wants as caller: a virtual key, the master key, or nobody.</summary>
public enum Caller
{
    Client,
    Master,
    Anyone,
}

/// <summary>
/// A route the gateway serves, with a valid request for it. <see cref="Template"/> is the body with slots
/// (<c>§0</c>, <c>§1</c> …) whose valid raw JSON values <see cref="Slots"/> gives; mutations replace one slot's value.
/// </summary>
public sealed record Route(string Method, string Path, Caller Caller, string? Template = null, Func<Random, FuzzTargets, string[]>? Slots = null)
{
    public string Label => $"{Method} {Path}" + (ContentType is null ? "" : " (multipart)");

    /// <summary>The body's content type; null: <c>application/json</c>.</summary>
    public string? ContentType { get; init; }

    private const string Boundary = "fuzz-boundary-7d1";

    /// <summary>A multipart form whose parts are text fields, or files when a file name is given; values may hold slots.</summary>
    private static Route Multipart(string path, Func<Random, FuzzTargets, string[]> slots, params (string Name, string? FileName, string Value)[] parts)
    {
        var body = new System.Text.StringBuilder();
        foreach (var (name, fileName, value) in parts)
        {
            body.Append("--").Append(Boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(name).Append('"');
            if (fileName is not null) body.Append("; filename=\"").Append(fileName).Append("\"\r\nContent-Type: application/octet-stream");
            body.Append("\r\n\r\n").Append(value).Append("\r\n");
        }
        body.Append("--").Append(Boundary).Append("--\r\n");
        return new Route("POST", path, Caller.Client, body.ToString(), slots) { ContentType = "multipart/form-data; boundary=" + Boundary };
    }

    public bool HasBody => Template is not null;

    /// <summary>Every route of the gateway (CONTRACT §3, §4 and the README's API table).</summary>
    public static readonly Route[] All =
    [
        new("POST", "/v1/chat/completions", Caller.Client,
            """{"model":§0,"messages":[{"role":§1,"content":§2}],"max_tokens":§3,"stream":§4,"temperature":§5}""",
            (r, t) => [Q(t.ChatModel(r)), Q("user"), Q("hello"), "16", r.Next(4) == 0 ? "true" : "false", "0.5"]),
        new("POST", "/chat/completions", Caller.Client,
            """{"model":§0,"messages":[{"role":"system","content":§1},{"role":"user","content":[{"type":"text","text":§2}]}],"tools":§3}""",
            (r, t) => [Q(t.ChatModel(r)), Q("be brief"), Q("hi"),
                """[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]"""]),
        new("POST", "/v1/completions", Caller.Client, """{"model":§0,"prompt":§1,"max_tokens":§2}""",
            (r, t) => [Q(t.ChatModel(r)), Q("say hi"), "8"]),
        new("POST", "/v1/embeddings", Caller.Client, """{"model":§0,"input":§1}""",
            (r, t) => [Q(t.EmbeddingModel(r)), r.Next(2) == 0 ? Q("hello") : """["a","b"]"""]),
        new("POST", "/v1/images/generations", Caller.Client, """{"model":§0,"prompt":§1,"n":§2,"size":§3}""",
            (r, t) => [Q(t.ChatModel(r)), Q("a lighthouse"), "1", Q("1024x1024")]),
        new("POST", "/v1/audio/speech", Caller.Client, """{"model":§0,"input":§1,"voice":§2,"stream_format":§3}""",
            (r, t) => [Q(t.ChatModel(r)), Q("hello"), Q("alloy"), r.Next(4) == 0 ? Q("sse") : Q("audio")]),
        new("POST", "/v1/moderations", Caller.Client, """{"model":§0,"input":§1}""",
            (r, t) => [Q(t.ChatModel(r)), r.Next(2) == 0 ? Q("hello") : """["a","b"]"""]),
        // Multipart routes: a JSON body is refused (415) before anything else; hostile values must not make it a 500.
        new("POST", "/v1/audio/transcriptions", Caller.Client, """{"model":§0,"file":§1}""", (r, t) => [Q(t.ChatModel(r)), Q("audio.mp3")]),
        new("POST", "/v1/audio/translations", Caller.Client, """{"model":§0,"file":§1}""", (r, t) => [Q(t.ChatModel(r)), Q("audio.mp3")]),
        new("POST", "/v1/images/edits", Caller.Client, """{"model":§0,"image":§1,"prompt":§2}""", (r, t) => [Q(t.ChatModel(r)), Q("image.png"), Q("a hat")]),
        // The same routes with multipart forms, as clients send them: hostile values land in fields and files.
        Multipart("/v1/audio/transcriptions", (r, t) => [t.ChatModel(r), "ID3 not really audio", r.Next(2) == 0 ? "json" : "verbose_json", r.Next(4) == 0 ? "true" : "false"],
            ("model", null, "§0"), ("file", "speech.mp3", "§1"), ("response_format", null, "§2"), ("stream", null, "§3")),
        Multipart("/v1/audio/translations", (r, t) => [t.ChatModel(r), "RIFF not really audio"],
            ("model", null, "§0"), ("file", "speech.wav", "§1")),
        Multipart("/v1/images/edits", (r, t) => [t.ChatModel(r), "PNG not really an image", "a hat", "1", "PNG mask"],
            ("model", null, "§0"), ("image[]", "a.png", "§1"), ("prompt", null, "§2"), ("n", null, "§3"), ("mask", "m.png", "§4")),
        new("POST", "/v1/messages", Caller.Client,
            """{"model":§0,"max_tokens":§1,"system":§2,"messages":[{"role":§3,"content":§4}],"stream":§5}""",
            (r, t) => [Q(t.ChatModel(r)), "32", Q("be brief"), Q("user"), r.Next(2) == 0 ? Q("hello") : """[{"type":"text","text":"hello"}]""",
                r.Next(4) == 0 ? "true" : "false"]),
        new("POST", "/messages", Caller.Client, """{"model":§0,"max_tokens":§1,"messages":[{"role":"user","content":§2}]}""",
            (r, t) => [Q(t.ChatModel(r)), "32", Q("hi")]),
        new("POST", "/v1/messages/count_tokens", Caller.Client, """{"model":§0,"messages":[{"role":"user","content":§1}],"system":§2}""",
            (r, t) => [Q(t.ChatModel(r)), Q("count me"), Q("sys")]),
        new("POST", "/v1/responses", Caller.Client,
            """{"model":§0,"input":§1,"instructions":§2,"max_output_tokens":§3,"stream":§4,"tools":§5,"reasoning":§6}""",
            (r, t) => [Q(t.ChatModel(r)), r.Next(2) == 0 ? Q("hello") : """[{"role":"user","content":[{"type":"input_text","text":"hello"}]}]""",
                Q("be brief"), "32", r.Next(4) == 0 ? "true" : "false",
                """[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}},{"type":"custom","name":"apply_patch"},{"type":"web_search"}]""",
                """{"effort":"low"}"""]),
        new("POST", "/responses", Caller.Client,
            """{"model":§0,"input":[{"role":"user","content":"weather?"},{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":§1},{"type":"function_call_output","call_id":"call_1","output":§2}],"tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],"tool_choice":§3,"text":§4}""",
            (r, t) => [Q(t.ChatModel(r)), Q("{\\\"city\\\":\\\"Paris\\\"}"), Q("18C"), Q("auto"), """{"format":{"type":"text"}}"""]),
        new("POST", "/v1/models/{model}:generateContent", Caller.Client,
            """{"contents":[{"role":"user","parts":[{"text":§0}]}],"systemInstruction":{"parts":[{"text":§1}]},"generationConfig":{"maxOutputTokens":§2,"temperature":§3}}""",
            (r, t) => [Q("hello"), Q("be brief"), "16", "0.5"]),
        new("POST", "/v1/models/{model}:streamGenerateContent", Caller.Client,
            """{"contents":[{"role":"user","parts":[{"text":"weather?"}]},{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":§0}}]},{"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":§1}}]}],"tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}}]}],"toolConfig":§2}""",
            (r, t) => ["""{"city":"Paris"}""", """{"output":"18C"}""", """{"functionCallingConfig":{"mode":"AUTO"}}"""]),
        new("POST", "/v1beta/models/{model}:streamGenerateContent?alt=sse", Caller.Client,
            """{"contents":[{"parts":[{"text":§0}]}],"generationConfig":{"thinkingConfig":§1}}""",
            (r, t) => [Q("hi"), """{"includeThoughts":true}"""]),
        new("POST", "/v1/models/{model}:countTokens", Caller.Client, """{"contents":[{"parts":[{"text":§0}]}]}""", (r, t) => [Q("count me")]),
        new("GET", "/v1beta/models", Caller.Client),
        new("GET", "/v1/models", Caller.Client),
        new("GET", "/v1/models/{model}", Caller.Client),
        new("POST", "/admin/keys", Caller.Master, """{"name":§0,"rpm":§1,"models":§2,"budget_usd":§3,"expires_at":§4}""",
            (r, t) => [Q("fuzz-" + r.Next(1_000_000)), "100", "null", "10.5", Q("2099-01-01T00:00:00Z")]),
        new("GET", "/admin/keys", Caller.Master),
        new("GET", "/admin/keys/{id}", Caller.Master),
        new("PATCH", "/admin/keys/{id}", Caller.Master, """{"rpm":§0,"team":§1}""", (r, t) => ["5", "null"]),
        new("DELETE", "/admin/keys/{id}", Caller.Master),
        new("POST", "/admin/teams", Caller.Master, """{"name":§0,"tpm":§1,"budget_period":§2}""",
            (r, t) => [Q("team-" + r.Next(1_000_000)), "1000", Q("daily")]),
        new("GET", "/admin/teams", Caller.Master),
        new("PUT", "/admin/teams/{team}", Caller.Master, """{"rpm":§0}""", (r, t) => ["7"]),
        new("DELETE", "/admin/teams/{team}", Caller.Master),
        new("GET", "/admin/usage", Caller.Master),
        new("GET", "/admin/logs", Caller.Master),
        new("GET", "/admin/deployments", Caller.Master),
        new("GET", "/health/live", Caller.Anyone),
        new("GET", "/health/ready", Caller.Anyone),
    ];

    /// <summary>A JSON string literal (the values here need no escaping).</summary>
    public static string Q(string text) => "\"" + text + "\"";
}

/// <summary>What the fuzzer knows of the gateway under test: its address, keys and model names.</summary>
public sealed record FuzzTargets(string Host, string? ClientKey, string? MasterKey, IReadOnlyList<string> Models)
{
    public string ChatModel(Random random) =>
        Models.Count == 0 || random.Next(10) == 0 ? "no-such-model" : Models[random.Next(Models.Count)];

    /// <summary>
    /// An embedding model when the gateway has one. Not a chat model: OpenAI (and the strict mock) answer a chat model
    /// on /v1/embeddings with 403 "You are not allowed to generate embeddings from this model", which the gateway
    /// reads as a refused provider key (502 upstream_authentication_failed), a known misclassification left to the
    /// upstream-error work.
    /// </summary>
    public string EmbeddingModel(Random random)
    {
        var embeddings = Models.Where(m => m.Contains("embed", StringComparison.OrdinalIgnoreCase)).ToList();
        return embeddings.Count > 0 && random.Next(10) != 0 ? embeddings[random.Next(embeddings.Count)]
            : embeddings.Count > 0 ? "no-such-model" : ChatModel(random);
    }
}
