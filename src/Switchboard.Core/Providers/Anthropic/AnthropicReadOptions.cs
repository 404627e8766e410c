using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Anthropic;

/// <summary>Choices for the Anthropic response and stream readers.</summary>
public sealed record AnthropicReadOptions
{
    /// <summary>Reader defaults: tool calls are read as tool calls.</summary>
    public static AnthropicReadOptions Default { get; } = new();

    /// <summary>
    /// When set, a <c>tool_use</c> of this name is the JSON answer of a request written in JSON mode: its
    /// <c>input</c> is read as answer text and its <c>tool_use</c> stop reason as a natural stop. Null =
    /// no JSON mode.
    /// </summary>
    public string? JsonToolName { get; init; }

    /// <summary>
    /// The options to read the answer to <paramref name="request"/> once
    /// <see cref="AnthropicMessagesRequestWriter"/> has written it with <paramref name="writeOptions"/>:
    /// JSON mode on exactly when the writer used the forced tool.
    /// </summary>
    public static AnthropicReadOptions ForRequest(ChatRequest request, AnthropicWriteOptions? writeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AnthropicJsonMode.IsUsedFor(request)
            ? new AnthropicReadOptions { JsonToolName = (writeOptions ?? AnthropicWriteOptions.Default).JsonToolName }
            : Default;
    }
}
