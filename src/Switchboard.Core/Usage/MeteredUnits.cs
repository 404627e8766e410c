namespace Switchboard.Usage;

/// <summary>How an operation's answers are priced.</summary>
public enum MeteringKind
{
    /// <summary>By tokens at the deployment's token prices (chat, embeddings); unpriced when it has none.</summary>
    Tokens,
    /// <summary>By input characters (speech) or seconds of audio (transcription, translation), plus tokens where reported.</summary>
    Audio,
    /// <summary>By tokens if the deployment has token prices, else free (moderations).</summary>
    FreeUnlessPriced,
}

/// <summary>
/// What an answer is billed by besides tokens: the characters of a speech request's <c>input</c>, the seconds of audio
/// a transcription or translation reported (its <c>usage.seconds</c> or verbose_json <c>duration</c>).
/// </summary>
public readonly record struct MeteredUnits(MeteringKind Kind, long Characters, double Seconds)
{
    /// <summary>True when the answer told the gateway what it is billed by (characters or seconds).</summary>
    public bool IsReported => Characters > 0 || Seconds > 0;
}
