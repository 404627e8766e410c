namespace Switchboard.MockUpstream.Tests;

/// <summary>Requests in the Anthropic and Gemini dialects (their own auth headers) against a started mock.</summary>
public static class ProviderRequests
{
    public const string Version = "2023-06-01";

    public static HttpRequestMessage AnthropicRequest(string path, string json, string? key = MockHost.Key, string? version = Version)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }
        if (version is not null)
        {
            request.Headers.Add("anthropic-version", version);
        }
        return request;
    }

    public static HttpRequestMessage GeminiRequest(string path, string json, string? key = MockHost.Key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        if (key is not null)
        {
            request.Headers.Add("x-goog-api-key", key);
        }
        return request;
    }

    public static Task<HttpResponseMessage> AnthropicAsync(this MockHost mock, string json, string path = "/v1/messages") =>
        mock.Client.SendAsync(AnthropicRequest(path, json));

    public static async Task<JsonElement> AnthropicJsonAsync(this MockHost mock, string json, string path = "/v1/messages")
    {
        using var response = await mock.AnthropicAsync(json, path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 200, $"expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>POST to <c>/v1beta/models/{model}:{method}{query}</c>.</summary>
    public static Task<HttpResponseMessage> GeminiAsync(this MockHost mock, string model, string json, string method = "generateContent", string query = "", string prefix = "") =>
        mock.Client.SendAsync(GeminiRequest($"{prefix}/v1beta/models/{model}:{method}{query}", json));

    public static async Task<JsonElement> GeminiJsonAsync(this MockHost mock, string model, string json)
    {
        using var response = await mock.GeminiAsync(model, json);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 200, $"expected 200, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>Assertions on the Anthropic and Google error shapes and on their streams.</summary>
public static class ProviderWire
{
    /// <summary><c>{"type":"error","error":{"type","message"},"request_id"}</c> plus the matching request-id header.</summary>
    public static async Task<JsonElement> AssertAnthropicErrorAsync(HttpResponseMessage response, int status, string type, string message, bool prefix = false)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        var error = root.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        if (prefix)
        {
            Assert.StartsWith(message, error.GetProperty("message").GetString());
        }
        else
        {
            Assert.Equal(message, error.GetProperty("message").GetString());
        }
        string requestId = response.Headers.GetValues("request-id").Single();
        Assert.StartsWith("req_", requestId);
        Assert.Equal(requestId, root.GetProperty("request_id").GetString());
        return error.Clone();
    }

    /// <summary><c>{"error":{"code","message","status","details"?}}</c>.</summary>
    public static async Task<JsonElement> AssertGoogleErrorAsync(HttpResponseMessage response, int code, string status, string message, bool prefix = false)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == code, $"expected {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(status, error.GetProperty("status").GetString());
        if (prefix)
        {
            Assert.StartsWith(message, error.GetProperty("message").GetString());
        }
        else
        {
            Assert.Equal(message, error.GetProperty("message").GetString());
        }
        return error.Clone();
    }

    /// <summary>The (event, data) pairs of an Anthropic stream; every frame must name its event.</summary>
    public static List<(string Event, JsonElement Data)> AnthropicEvents(string body)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var frame in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            events.Add((lines[0]["event: ".Length..], data));
        }
        return events;
    }

    /// <summary>The chunks of a Gemini <c>alt=sse</c> stream: <c>data: {json}\r\n\r\n</c> each, nothing else.</summary>
    public static List<JsonElement> GeminiChunks(string body)
    {
        Assert.EndsWith("\r\n\r\n", body);
        var chunks = new List<JsonElement>();
        foreach (var frame in body.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", frame);
            chunks.Add(JsonDocument.Parse(frame["data: ".Length..]).RootElement.Clone());
        }
        return chunks;
    }

    public static JsonElement Parts(JsonElement response, int candidate = 0) =>
        response.GetProperty("candidates")[candidate].GetProperty("content").GetProperty("parts");
}
