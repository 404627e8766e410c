namespace Switchboard.Providers.Anthropic;

/// <summary>Names shared by the Anthropic Messages API readers and writers.</summary>
public static class AnthropicMessagesDialect
{
    /// <summary>Identifies this dialect in <see cref="Translation.Canonical.ChatRequest.SourceDialect"/>,
    /// <see cref="Translation.Canonical.ProviderTool.Dialect"/> and <see cref="Translation.Canonical.ProviderPart.Dialect"/>.</summary>
    public const string Name = "anthropic-messages";

    /// <summary>The value of the <c>anthropic-version</c> header every request to the API carries.</summary>
    public const string ApiVersion = "2023-06-01";

    /// <summary>Header carrying <see cref="ApiVersion"/>.</summary>
    public const string VersionHeader = "anthropic-version";

    /// <summary>Header carrying comma-separated beta feature names; a client's value must reach an
    /// Anthropic upstream unchanged (Claude Code relies on several).</summary>
    public const string BetaHeader = "anthropic-beta";

    /// <summary>Header carrying the API key (Anthropic does not use <c>Authorization: Bearer</c>).</summary>
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>Beta a request needs when it refers to files by id (<c>source.type: file</c>).</summary>
    public const string FilesApiBeta = "files-api-2025-04-14";

    /// <summary>Path of the Messages endpoint under the host root.</summary>
    public const string MessagesPath = "/v1/messages";

    /// <summary>Path of the token counting endpoint under the host root.</summary>
    public const string CountTokensPath = "/v1/messages/count_tokens";

    /// <summary>Whether raw extensions of a document from <paramref name="sourceDialect"/> are in this
    /// dialect's terms (null = built in code; taken as meant for any writer).</summary>
    public static bool Owns(string? sourceDialect) => sourceDialect is null or Name;

    /// <summary>Whether a document came from this dialect itself (exact round trip wanted), as opposed to
    /// one built in code or read from another dialect (adapted to what the API accepts).</summary>
    internal static bool IsOwn(string? sourceDialect) => sourceDialect == Name;
}
