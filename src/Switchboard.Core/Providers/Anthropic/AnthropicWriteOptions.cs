namespace Switchboard.Providers.Anthropic;

/// <summary>Choices for <see cref="AnthropicMessagesRequestWriter"/> that the request itself does not carry.</summary>
public sealed record AnthropicWriteOptions
{
    /// <summary>Writer defaults.</summary>
    public static AnthropicWriteOptions Default { get; } = new();

    /// <summary>Name of the tool that carries a JSON answer when the request asks for
    /// <c>response_format</c> json_object/json_schema (Anthropic has no JSON mode; see
    /// <see cref="AnthropicMessagesRequestWriter"/>). Pass the same name to
    /// <see cref="AnthropicReadOptions.JsonToolName"/> when reading the answer.</summary>
    public string JsonToolName { get; init; } = AnthropicJsonMode.DefaultToolName;

    /// <summary><c>max_tokens</c> when the request has none; null = the model's limit from
    /// <see cref="AnthropicModelInfo"/>.</summary>
    public int? DefaultMaxTokens { get; init; }
}
