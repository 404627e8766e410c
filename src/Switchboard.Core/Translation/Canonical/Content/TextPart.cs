namespace Switchboard.Translation.Canonical;

/// <summary>Plain text.</summary>
public sealed record TextPart(string Text) : ContentPart;
