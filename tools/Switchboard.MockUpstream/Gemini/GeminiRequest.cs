using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream.Gemini;

internal enum CallingMode
{
    Auto,
    Any,
    None,
    Validated,
}

internal sealed class GeminiPart
{
    /// <summary>text, inlineData, fileData, functionCall, functionResponse, executableCode or codeExecutionResult.</summary>
    public required string Kind { get; init; }

    public string Text { get; init; } = "";

    public bool Thought { get; init; }

    public string? Signature { get; init; }

    public string? Name { get; init; }

    /// <summary>functionCall args / functionResponse response.</summary>
    public JsonElement? Payload { get; init; }
}

internal sealed class GeminiContent
{
    public required string Role { get; init; }

    public List<GeminiPart> Parts { get; } = [];

    public int Count(string kind) => Parts.Count(p => p.Kind == kind);
}

internal sealed record FunctionDeclarationInfo(string Name, JsonElement? Schema);

/// <summary>A validated generateContent request. JsonElements point into the caller's document.</summary>
internal sealed class GeminiRequest
{
    public required string Model { get; init; }

    public bool Stream { get; init; }

    public List<GeminiContent> Contents { get; } = [];

    public int SystemChars { get; set; }

    public int ToolChars { get; set; }

    public List<FunctionDeclarationInfo> Functions { get; } = [];

    public CallingMode Mode { get; set; } = CallingMode.Auto;

    public List<string> AllowedFunctions { get; } = [];

    public int? MaxOutputTokens { get; set; }

    public int CandidateCount { get; set; } = 1;

    public List<string> StopSequences { get; } = [];

    public string? ResponseMimeType { get; set; }

    public JsonElement? ResponseSchema { get; set; }

    public bool Thinking { get; set; }

    public bool IncludeThoughts { get; set; }

    /// <summary>All text of the last user content that is not only function responses (the prompt being answered).</summary>
    public string LastUserText()
    {
        for (int i = Contents.Count - 1; i >= 0; i--)
        {
            var c = Contents[i];
            if (c.Role != "model" && c.Parts.Exists(p => p.Kind == "text" && !p.Thought))
            {
                var sb = new StringBuilder();
                foreach (var p in c.Parts.Where(p => p.Kind == "text" && !p.Thought))
                {
                    sb.Append(p.Text);
                }
                return sb.ToString();
            }
        }
        return "";
    }
}
