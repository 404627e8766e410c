namespace Switchboard.Providers.OpenAI;

/// <summary>Choices a client made that shape its stream.</summary>
public sealed record OpenAIChatStreamWriterOptions
{
    /// <summary>The client asked for <c>stream_options.include_usage</c>: only then does a usage frame
    /// (with <c>choices: []</c>) go out. The gateway may have asked the upstream for usage regardless.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>Model name to report instead of the upstream's (e.g. the alias the client asked for).</summary>
    public string? Model { get; init; }

    /// <summary>The client used legacy <c>functions</c>: tool calls go out as <c>delta.function_call</c>.</summary>
    public bool LegacyFunctionCall { get; init; }
}
