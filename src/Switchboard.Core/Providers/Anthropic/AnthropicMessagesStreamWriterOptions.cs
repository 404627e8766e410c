namespace Switchboard.Providers.Anthropic;

/// <summary>Choices that shape a stream written for an Anthropic client.</summary>
public sealed record AnthropicMessagesStreamWriterOptions
{
    /// <summary>Model name to report instead of the upstream's (e.g. the alias the client asked for).</summary>
    public string? Model { get; init; }
}
