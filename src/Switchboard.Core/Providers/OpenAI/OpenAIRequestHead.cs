using System.Text.Json;
using Switchboard.Errors;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// What the gateway itself must know of an OpenAI-dialect request body (chat, embeddings, completions),
/// found in one forward pass with <see cref="Utf8JsonReader"/>, plus the byte ranges the upstream rewrite splices.
/// Everything else in the body is relayed untouched, so fields the gateway does not model are never lost.
/// </summary>
public readonly record struct OpenAIRequestHead
{
    public required string Model { get; init; }
    public bool Stream { get; init; }
    /// <summary>The client asked for the usage chunk (<c>stream_options.include_usage: true</c>).</summary>
    public bool ClientWantsUsage { get; init; }
    /// <summary>Byte range of the <c>model</c> value (with quotes).</summary>
    public Range ModelValue { get; init; }
    /// <summary>Byte range of the <c>stream_options</c> value, when present.</summary>
    public Range? StreamOptionsValue { get; init; }
    /// <summary>Offset of the root object's closing brace.</summary>
    public int RootEnd { get; init; }
    /// <summary>True when the root object has at least one property (so an appended property needs a comma).</summary>
    public bool HasProperties { get; init; }
    /// <summary><c>max_tokens</c> or <c>max_completion_tokens</c> (Responses: <c>max_output_tokens</c>), when given.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Which top-level member must be present for the endpoint (Responses: none, its reader checks <c>input</c>; Images: <c>prompt</c>).</summary>
    /// <remarks><see cref="Kind.Speech"/> and <see cref="Kind.Moderations"/> require <c>input</c>; <see cref="Kind.Upload"/>
    /// bodies are multipart, never parsed here (<see cref="Http.Multipart.MultipartFormReader"/>).</remarks>
    public enum Kind { Chat, Embeddings, Completions, Responses, Images, Speech, Moderations, Upload }

    /// <summary>
    /// Parses and validates the body. Malformed JSON, a non-object root, a missing or non-string <c>model</c>,
    /// or a missing required field give a 400 in the OpenAI dialect.
    /// </summary>
    public static (OpenAIRequestHead Head, GatewayError? Error) Parse(ReadOnlySpan<byte> json, Kind kind)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (default, GatewayError.InvalidRequest(
                    "The request body must be a JSON object. See https://platform.openai.com/docs/api-reference."));
            }

            string? model = null;
            Range modelRange = default;
            Range? streamOptionsRange = null;
            bool stream = false, includeUsage = false, sawRequiredArray = false, hasProperties = false;
            int? maxTokens = null;
            var requiredField = kind switch { Kind.Chat => "messages"u8, Kind.Completions or Kind.Images => "prompt"u8, _ => "input"u8 };
            var checksRequired = kind != Kind.Responses;

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                hasProperties = true;
                var isModel = reader.ValueTextEquals("model"u8);
                var isStream = reader.ValueTextEquals("stream"u8);
                var isStreamOptions = reader.ValueTextEquals("stream_options"u8);
                var isRequired = checksRequired && reader.ValueTextEquals(requiredField);
                var isMaxTokens = kind == Kind.Responses
                    ? reader.ValueTextEquals("max_output_tokens"u8)
                    : reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8);
                reader.Read();
                var start = (int)reader.TokenStartIndex;

                if (isModel)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return (default, GatewayError.InvalidRequest("'model' must be a string.", "model"));
                    }
                    model = reader.GetString();
                    modelRange = new Range(start, (int)reader.BytesConsumed);
                    continue;
                }
                if (isStream)
                {
                    if (reader.TokenType is JsonTokenType.True or JsonTokenType.False) stream = reader.GetBoolean();
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return (default, GatewayError.InvalidRequest("'stream' must be a boolean.", "stream"));
                    }
                    continue;
                }
                if (isMaxTokens && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var max))
                {
                    maxTokens = max;
                    continue;
                }
                if (isStreamOptions && reader.TokenType == JsonTokenType.StartObject)
                {
                    includeUsage = ReadIncludeUsage(ref reader);
                    streamOptionsRange = new Range(start, (int)reader.BytesConsumed);
                    continue;
                }
                if (isRequired)
                {
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        return (default, MissingRequired(requiredField));
                    }
                    if (kind == Kind.Chat && reader.TokenType != JsonTokenType.StartArray)
                    {
                        return (default, GatewayError.InvalidRequest("'messages' must be an array of message objects.", "messages"));
                    }
                    sawRequiredArray = true;
                }
                reader.Skip();
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return (default, GatewayError.InvalidRequest("The request body is not valid JSON."));
            }
            var rootEnd = (int)reader.TokenStartIndex;
            // Reading past the root validates what follows it: a trailing second value ("{}{}") throws here.
            reader.Read();
            if (model is null)
            {
                return (default, GatewayError.InvalidRequest(
                    "you must provide a model parameter", "model"));
            }
            if (model.Length == 0)
            {
                return (default, GatewayError.InvalidRequest("'model' must not be empty.", "model"));
            }
            if (!sawRequiredArray && checksRequired)
            {
                return (default, MissingRequired(requiredField));
            }

            return (new OpenAIRequestHead
            {
                Model = model,
                Stream = stream,
                ClientWantsUsage = stream && includeUsage,
                ModelValue = modelRange,
                StreamOptionsValue = streamOptionsRange,
                RootEnd = rootEnd,
                HasProperties = hasProperties,
                MaxTokens = maxTokens,
            }, null);
        }
        catch (JsonException ex)
        {
            return (default, GatewayError.InvalidRequest(
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. "
                + $"The OpenAI API expects a JSON payload.) Parser error at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}"));
        }
    }

    private static GatewayError MissingRequired(ReadOnlySpan<byte> field)
    {
        var name = System.Text.Encoding.UTF8.GetString(field);
        return GatewayError.InvalidRequest($"Missing required parameter: '{name}'.", name);
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        var include = false;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("include_usage"u8))
            {
                reader.Read();
                include = reader.TokenType == JsonTokenType.True;
                continue;
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
        }
        return include;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..(cut + 1)] : message;
    }
}
