namespace Switchboard.Providers.OpenAI;

/// <summary>Names shared by the OpenAI Chat Completions readers and writers.</summary>
public static class OpenAIChatDialect
{
    /// <summary>Identifies this dialect in <see cref="Translation.Canonical.ProviderTool.Dialect"/>.</summary>
    public const string Name = "openai-chat";

    /// <summary>The spelling of <see cref="Translation.Canonical.ChatRequest.MaxOutputTokens"/> that OpenAI deprecated
    /// but many OpenAI-compatible servers still require; set it in <see cref="Translation.Canonical.DialectHints.MaxTokensField"/>
    /// to make the writer use it.</summary>
    public const string MaxTokens = "max_tokens";

    /// <summary>The current spelling, written by default.</summary>
    public const string MaxCompletionTokens = "max_completion_tokens";

    /// <summary>Whether raw extensions and hints of a document from <paramref name="sourceDialect"/>
    /// are in this dialect's terms (null = built in code, taken as meant for any writer).</summary>
    public static bool Owns(string? sourceDialect) => sourceDialect is null or Name;
}
