namespace Switchboard.MockUpstream.Audio;

/// <summary>What an audio or moderation model can do, as the real API enforces it.</summary>
internal enum AudioModelKind { Speech, Transcription, Moderation }

/// <summary>The audio and moderation models the mock knows (mock-* ids are accepted as any of them).</summary>
internal static class AudioModels
{
    private static readonly Dictionary<string, AudioModelKind> Known = new(StringComparer.Ordinal)
    {
        ["tts-1"] = AudioModelKind.Speech,
        ["tts-1-hd"] = AudioModelKind.Speech,
        ["gpt-4o-mini-tts"] = AudioModelKind.Speech,
        ["whisper-1"] = AudioModelKind.Transcription,
        ["gpt-4o-transcribe"] = AudioModelKind.Transcription,
        ["gpt-4o-mini-transcribe"] = AudioModelKind.Transcription,
        ["omni-moderation-latest"] = AudioModelKind.Moderation,
        ["text-moderation-latest"] = AudioModelKind.Moderation,
    };

    /// <summary>Null when the model is known as <paramref name="kind"/>; otherwise the API's refusal.</summary>
    public static ApiError? Check(string model, AudioModelKind kind, string? azureDeployment)
    {
        if (model.StartsWith(ModelCatalog.MockPrefix, StringComparison.Ordinal) && model.Length > ModelCatalog.MockPrefix.Length) return null;
        if (!Known.TryGetValue(model, out var known))
        {
            return azureDeployment is not null ? AzureErrors.DeploymentNotFound() : OpenAIErrors.ModelNotFound(model);
        }
        return known == kind ? null : OpenAIErrors.Invalid($"The model '{model}' does not support this operation.", "model", "model_not_supported");
    }

    /// <summary>The gpt-4o models answer with token usage and stream; whisper-1 and tts-1 do neither.</summary>
    public static bool IsGpt4o(string model) => model.StartsWith("gpt-4o", StringComparison.Ordinal) || model.StartsWith(ModelCatalog.MockPrefix, StringComparison.Ordinal);
}
