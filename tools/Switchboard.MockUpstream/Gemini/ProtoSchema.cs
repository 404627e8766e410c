using System.Text;

namespace Switchboard.MockUpstream.Gemini;

internal enum PKind
{
    String,
    Int32,
    Int64,
    Float,
    Double,
    Bool,
    Bytes,
    Enum,
    Message,
    /// <summary>google.protobuf.Struct: any JSON object.</summary>
    Struct,
    /// <summary>google.protobuf.Value (or a message the mock does not look into): any JSON.</summary>
    Value,
}

internal sealed record PEnum(string FullName, string[] Values);

/// <summary>One proto field: its JSON (lowerCamel) and proto (snake_case) names; the API accepts both in requests.</summary>
internal sealed record PField(string JsonName, PKind Kind, bool Repeated = false, bool Map = false, PMessage? Message = null, PEnum? Enum = null)
{
    public string ProtoName { get; } = ToSnake(JsonName);

    private static string ToSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                sb.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}

/// <summary>A proto message type; fields are added after construction so types can refer to each other (Schema → Schema).</summary>
internal sealed class PMessage(string name)
{
    private readonly Dictionary<string, PField> _fields = new(StringComparer.Ordinal);

    public string TypeUrl { get; } = "type.googleapis.com/google.ai.generativelanguage.v1beta." + name;

    public PMessage Add(PField field)
    {
        _fields[field.JsonName] = field;
        _fields[field.ProtoName] = field;
        return this;
    }

    public PField? Find(string name) => _fields.GetValueOrDefault(name);
}

/// <summary>The v1beta GenerateContentRequest message tree, as far as the mock checks it.</summary>
internal static class ProtoSchema
{
    private const string Ns = "type.googleapis.com/google.ai.generativelanguage.v1beta.";

    public static readonly PMessage Request = new("GenerateContentRequest");

    public static readonly PEnum Mode = new(Ns + "FunctionCallingConfig.Mode", ["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"]);

    static ProtoSchema()
    {
        var schema = new PMessage("Schema");
        var type = new PEnum(Ns + "Type", ["TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"]);
        schema.Add(new("type", PKind.Enum, Enum: type)).Add(new("format", PKind.String)).Add(new("title", PKind.String))
            .Add(new("description", PKind.String)).Add(new("nullable", PKind.Bool)).Add(new("enum", PKind.String, Repeated: true))
            .Add(new("maxItems", PKind.Int64)).Add(new("minItems", PKind.Int64)).Add(new("properties", PKind.Message, Map: true, Message: schema))
            .Add(new("required", PKind.String, Repeated: true)).Add(new("minProperties", PKind.Int64)).Add(new("maxProperties", PKind.Int64))
            .Add(new("minLength", PKind.Int64)).Add(new("maxLength", PKind.Int64)).Add(new("pattern", PKind.String)).Add(new("example", PKind.Value))
            .Add(new("anyOf", PKind.Message, Repeated: true, Message: schema)).Add(new("propertyOrdering", PKind.String, Repeated: true))
            .Add(new("default", PKind.Value)).Add(new("items", PKind.Message, Message: schema)).Add(new("minimum", PKind.Double))
            .Add(new("maximum", PKind.Double));

        var blob = new PMessage("Blob").Add(new("mimeType", PKind.String)).Add(new("data", PKind.Bytes));
        var fileData = new PMessage("FileData").Add(new("mimeType", PKind.String)).Add(new("fileUri", PKind.String));
        var functionCall = new PMessage("FunctionCall").Add(new("id", PKind.String)).Add(new("name", PKind.String)).Add(new("args", PKind.Struct));
        var functionResponse = new PMessage("FunctionResponse").Add(new("id", PKind.String)).Add(new("name", PKind.String))
            .Add(new("response", PKind.Struct)).Add(new("parts", PKind.Value, Repeated: true)).Add(new("willContinue", PKind.Bool))
            .Add(new("scheduling", PKind.Enum, Enum: new(Ns + "FunctionResponse.Scheduling", ["SCHEDULING_UNSPECIFIED", "SILENT", "WHEN_IDLE", "INTERRUPT"])));
        var code = new PMessage("ExecutableCode").Add(new("code", PKind.String))
            .Add(new("language", PKind.Enum, Enum: new(Ns + "ExecutableCode.Language", ["LANGUAGE_UNSPECIFIED", "PYTHON"])));
        var codeResult = new PMessage("CodeExecutionResult").Add(new("output", PKind.String))
            .Add(new("outcome", PKind.Enum, Enum: new(Ns + "CodeExecutionResult.Outcome", ["OUTCOME_UNSPECIFIED", "OUTCOME_OK", "OUTCOME_FAILED", "OUTCOME_DEADLINE_EXCEEDED"])));
        var video = new PMessage("VideoMetadata").Add(new("startOffset", PKind.String)).Add(new("endOffset", PKind.String)).Add(new("fps", PKind.Double));
        var part = new PMessage("Part").Add(new("text", PKind.String)).Add(new("inlineData", PKind.Message, Message: blob))
            .Add(new("fileData", PKind.Message, Message: fileData)).Add(new("functionCall", PKind.Message, Message: functionCall))
            .Add(new("functionResponse", PKind.Message, Message: functionResponse)).Add(new("executableCode", PKind.Message, Message: code))
            .Add(new("codeExecutionResult", PKind.Message, Message: codeResult)).Add(new("thought", PKind.Bool))
            .Add(new("thoughtSignature", PKind.Bytes)).Add(new("videoMetadata", PKind.Message, Message: video))
            .Add(new("partMetadata", PKind.Struct)).Add(new("mediaResolution", PKind.Value));
        var content = new PMessage("Content").Add(new("parts", PKind.Message, Repeated: true, Message: part)).Add(new("role", PKind.String));

        var declaration = new PMessage("FunctionDeclaration").Add(new("name", PKind.String)).Add(new("description", PKind.String))
            .Add(new("behavior", PKind.Enum, Enum: new(Ns + "FunctionDeclaration.Behavior", ["UNSPECIFIED", "BLOCKING", "NON_BLOCKING"])))
            .Add(new("parameters", PKind.Message, Message: schema)).Add(new("parametersJsonSchema", PKind.Value))
            .Add(new("response", PKind.Message, Message: schema)).Add(new("responseJsonSchema", PKind.Value));
        var tool = new PMessage("Tool").Add(new("functionDeclarations", PKind.Message, Repeated: true, Message: declaration));
        foreach (var builtIn in (string[])["googleSearchRetrieval", "codeExecution", "googleSearch", "computerUse", "urlContext", "fileSearch", "googleMaps"])
        {
            tool.Add(new(builtIn, PKind.Value));
        }
        var callingConfig = new PMessage("FunctionCallingConfig").Add(new("mode", PKind.Enum, Enum: Mode))
            .Add(new("allowedFunctionNames", PKind.String, Repeated: true));
        var toolConfig = new PMessage("ToolConfig").Add(new("functionCallingConfig", PKind.Message, Message: callingConfig))
            .Add(new("retrievalConfig", PKind.Value));

        var category = new PEnum(Ns + "HarmCategory",
        [
            "HARM_CATEGORY_UNSPECIFIED", "HARM_CATEGORY_DEROGATORY", "HARM_CATEGORY_TOXICITY", "HARM_CATEGORY_VIOLENCE", "HARM_CATEGORY_SEXUAL",
            "HARM_CATEGORY_MEDICAL", "HARM_CATEGORY_DANGEROUS", "HARM_CATEGORY_HARASSMENT", "HARM_CATEGORY_HATE_SPEECH",
            "HARM_CATEGORY_SEXUALLY_EXPLICIT", "HARM_CATEGORY_DANGEROUS_CONTENT", "HARM_CATEGORY_CIVIC_INTEGRITY",
        ]);
        var threshold = new PEnum(Ns + "SafetySetting.HarmBlockThreshold",
            ["HARM_BLOCK_THRESHOLD_UNSPECIFIED", "BLOCK_LOW_AND_ABOVE", "BLOCK_MEDIUM_AND_ABOVE", "BLOCK_ONLY_HIGH", "BLOCK_NONE", "OFF"]);
        var safety = new PMessage("SafetySetting").Add(new("category", PKind.Enum, Enum: category)).Add(new("threshold", PKind.Enum, Enum: threshold));

        var thinking = new PMessage("ThinkingConfig").Add(new("includeThoughts", PKind.Bool)).Add(new("thinkingBudget", PKind.Int32))
            .Add(new("thinkingLevel", PKind.Enum, Enum: new(Ns + "ThinkingConfig.ThinkingLevel", ["THINKING_LEVEL_UNSPECIFIED", "MINIMAL", "LOW", "MEDIUM", "HIGH"])));
        var generation = new PMessage("GenerationConfig").Add(new("stopSequences", PKind.String, Repeated: true))
            .Add(new("responseMimeType", PKind.String)).Add(new("responseSchema", PKind.Message, Message: schema))
            .Add(new("responseJsonSchema", PKind.Value))
            .Add(new("responseModalities", PKind.Enum, Repeated: true, Enum: new(Ns + "GenerationConfig.Modality", ["MODALITY_UNSPECIFIED", "TEXT", "IMAGE", "AUDIO"])))
            .Add(new("candidateCount", PKind.Int32)).Add(new("maxOutputTokens", PKind.Int32)).Add(new("temperature", PKind.Float))
            .Add(new("topP", PKind.Float)).Add(new("topK", PKind.Int32)).Add(new("seed", PKind.Int32)).Add(new("presencePenalty", PKind.Float))
            .Add(new("frequencyPenalty", PKind.Float)).Add(new("responseLogprobs", PKind.Bool)).Add(new("logprobs", PKind.Int32))
            .Add(new("enableEnhancedCivicAnswers", PKind.Bool)).Add(new("speechConfig", PKind.Value)).Add(new("imageConfig", PKind.Message, Message: new PMessage("ImageConfig").Add(new("aspectRatio", PKind.String)).Add(new("imageSize", PKind.String))))
            .Add(new("thinkingConfig", PKind.Message, Message: thinking))
            .Add(new("mediaResolution", PKind.Enum, Enum: new(Ns + "GenerationConfig.MediaResolution",
                ["MEDIA_RESOLUTION_UNSPECIFIED", "MEDIA_RESOLUTION_LOW", "MEDIA_RESOLUTION_MEDIUM", "MEDIA_RESOLUTION_HIGH"])));

        Request.Add(new("model", PKind.String)).Add(new("contents", PKind.Message, Repeated: true, Message: content))
            .Add(new("tools", PKind.Message, Repeated: true, Message: tool)).Add(new("toolConfig", PKind.Message, Message: toolConfig))
            .Add(new("safetySettings", PKind.Message, Repeated: true, Message: safety)).Add(new("systemInstruction", PKind.Message, Message: content))
            .Add(new("generationConfig", PKind.Message, Message: generation)).Add(new("cachedContent", PKind.String));
    }
}
