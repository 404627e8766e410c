using Switchboard.Pipeline;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI.Audio;

/// <summary>
/// The OpenAI audio and moderation operations: OpenAI-only (served by <c>openai</c> and <c>azure-openai</c> upstreams at
/// <see cref="IUpstreamTarget.Operation"/>), their answers relayed as they come (<see cref="MediaAttempts"/>).
/// </summary>
public static class OpenAIAudioOperations
{
    /// <summary><c>POST /v1/audio/speech</c>: JSON in, audio bytes (or <c>stream_format: "sse"</c> events) out; priced by input characters.</summary>
    public static readonly ProxyOperation Speech = new("audio.speech", OpenAIRequestHead.Kind.Speech, OpenAIChatClientDialect.Instance,
        (t, m) => t.Operation(m, "audio/speech")) { Metering = MeteringKind.Audio, Attempts = MediaAttempts.Instance };

    /// <summary><c>POST /v1/audio/transcriptions</c>: a multipart upload; priced by seconds of audio or by tokens.</summary>
    public static readonly ProxyOperation Transcriptions = new("audio.transcriptions", OpenAIRequestHead.Kind.Upload, OpenAIChatClientDialect.Instance,
        (t, m) => t.Operation(m, "audio/transcriptions")) { Metering = MeteringKind.Audio, Attempts = MediaAttempts.Instance, RequiredParts = ["file"] };

    /// <summary><c>POST /v1/audio/translations</c>: as transcriptions, into English.</summary>
    public static readonly ProxyOperation Translations = new("audio.translations", OpenAIRequestHead.Kind.Upload, OpenAIChatClientDialect.Instance,
        (t, m) => t.Operation(m, "audio/translations")) { Metering = MeteringKind.Audio, Attempts = MediaAttempts.Instance, RequiredParts = ["file"] };

    /// <summary><c>POST /v1/moderations</c>: JSON in and out; free unless the deployment has token prices.</summary>
    public static readonly ProxyOperation Moderations = new("moderations", OpenAIRequestHead.Kind.Moderations, OpenAIChatClientDialect.Instance,
        (t, m) => t.Operation(m, "moderations")) { Metering = MeteringKind.FreeUnlessPriced, Attempts = MediaAttempts.Instance };
}
