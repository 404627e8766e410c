namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>Names shared by the OpenAI Responses API readers and writers (<c>POST /v1/responses</c>).</summary>
public static class ResponsesDialect
{
    /// <summary>
    /// Identifies this dialect in <see cref="Translation.Canonical.ChatRequest.SourceDialect"/>,
    /// <see cref="Translation.Canonical.ProviderTool.Dialect"/> and <see cref="Translation.Canonical.ProviderPart.Dialect"/>.
    /// </summary>
    public const string Name = "openai-responses";

    /// <summary>Whether raw extensions and hints of a document from <paramref name="sourceDialect"/>
    /// are in this dialect's terms (null = built in code, taken as meant for any writer).</summary>
    public static bool Owns(string? sourceDialect) => sourceDialect is null or Name;
}
