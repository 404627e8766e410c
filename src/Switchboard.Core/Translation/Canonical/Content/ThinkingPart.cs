namespace Switchboard.Translation.Canonical;

/// <summary>
/// The model's visible reasoning. <see cref="Signature"/> is the provider's opaque proof that must be
/// sent back unchanged with the thinking in later turns (Anthropic <c>signature</c>; a Gemini
/// <c>thoughtSignature</c> that rode on a text part lands here too, with empty <see cref="Text"/>).
/// Writers for dialects with no place for it drop the signature, and with it multi-turn thinking.
/// </summary>
public sealed record ThinkingPart(string Text, string? Signature = null) : ContentPart;

/// <summary>Reasoning the provider encrypted (Anthropic <c>redacted_thinking</c>): opaque <see cref="Data"/> to send back as is.</summary>
public sealed record RedactedThinkingPart(string Data) : ContentPart;
