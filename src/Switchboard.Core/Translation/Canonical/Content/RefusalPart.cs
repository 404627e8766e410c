namespace Switchboard.Translation.Canonical;

/// <summary>The model declined to answer (OpenAI <c>refusal</c>); assistant messages only.</summary>
public sealed record RefusalPart(string Refusal) : ContentPart;
