using Switchboard.Dialects;
using Switchboard.Pipeline;
using Switchboard.Providers.OpenAI.Audio;
using Switchboard.Providers.OpenAI.Images;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// The OpenAI client dialect: chat completions, plus the OpenAI-only legacy completions, embeddings, images, audio and
/// moderations.
/// </summary>
public static class OpenAIChatDialectRegistration
{
    public static readonly ProxyOperation ChatCompletions = new("chat.completions", OpenAIRequestHead.Kind.Chat, OpenAIChatClientDialect.Instance, null);
    public static readonly ProxyOperation Completions = new("completions", OpenAIRequestHead.Kind.Completions, OpenAIChatClientDialect.Instance, (t, m) => t.Completions(m));
    public static readonly ProxyOperation Embeddings = new("embeddings", OpenAIRequestHead.Kind.Embeddings, OpenAIChatClientDialect.Instance, (t, m) => t.Embeddings(m));
    public static readonly ProxyOperation ImageGenerations = new("images.generations", OpenAIRequestHead.Kind.Images, OpenAIChatClientDialect.Instance,
        (t, m) => t.ImageGenerations(m)) { Attempts = ImageGenerationAttempts.Instance };
    /// <summary><c>POST /v1/images/edits</c>: a multipart upload (<c>image</c> or <c>image[]</c>, <c>prompt</c>, optional <c>mask</c>), OpenAI-wire only.</summary>
    public static readonly ProxyOperation ImageEdits = new("images.edits", OpenAIRequestHead.Kind.Upload, OpenAIChatClientDialect.Instance,
        (t, m) => t.Operation(m, "images/edits")) { Attempts = ImageEditAttempts.Instance, RequiredParts = ["image", "prompt"] };

    public static ClientDialectRegistration Registration { get; } = new()
    {
        Dialect = OpenAIChatClientDialect.Instance,
        Routes =
        [
            new ClientRoute("/chat/completions", ChatCompletions),
            new ClientRoute("/completions", Completions),
            new ClientRoute("/embeddings", Embeddings),
            new ClientRoute("/images/generations", ImageGenerations),
            new ClientRoute("/images/edits", ImageEdits),
            new ClientRoute("/audio/speech", OpenAIAudioOperations.Speech),
            new ClientRoute("/audio/transcriptions", OpenAIAudioOperations.Transcriptions),
            new ClientRoute("/audio/translations", OpenAIAudioOperations.Translations),
            new ClientRoute("/moderations", OpenAIAudioOperations.Moderations),
        ],
        // Authorization: Bearer (OpenAI SDKs); api-key (Azure OpenAI SDKs); x-goog-api-key (Google's SDKs, accepted on
        // every route until a Gemini dialect of its own claims it).
        KeyHeaders = [new KeyHeader("Authorization", Bearer: true), new KeyHeader("api-key"), new KeyHeader("x-goog-api-key")],
        DoubledV1Fix = "remove the trailing /v1 from your base URL (or the /v1 your client adds): the gateway's routes begin with a single /v1",
        BaseUrlAdvice = "plus /v1.",
    };
}
