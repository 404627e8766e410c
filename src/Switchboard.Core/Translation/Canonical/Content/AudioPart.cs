namespace Switchboard.Translation.Canonical;

/// <summary>Inline audio input: base64 <see cref="Data"/> in <see cref="Format"/> (<c>wav</c>, <c>mp3</c>, ...).</summary>
public sealed record AudioPart(string Data, string Format) : ContentPart;
