namespace Switchboard.Translation.Canonical;

/// <summary>
/// Whether content travelled as a bare string or as an array of parts. OpenAI and Anthropic accept both
/// for the same meaning; keeping the choice makes a same-dialect round trip exact, and lets a writer
/// prefer the string form that older OpenAI-compatible servers require for system and assistant text.
/// </summary>
public enum ContentForm
{
    /// <summary>Not known (content built by another dialect): the writer picks, preferring a string for plain text.</summary>
    Auto,
    /// <summary>Sent as a string.</summary>
    Text,
    /// <summary>Sent as an array of parts.</summary>
    Parts,
}
