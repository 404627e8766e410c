namespace Switchboard.Translation.Canonical;

/// <summary>Who wrote a message.</summary>
public enum ChatRole
{
    /// <summary>Instructions from the application (Anthropic <c>system</c>, Gemini <c>systemInstruction</c>).</summary>
    System,
    /// <summary>OpenAI's newer name for system instructions; other dialects treat it as <see cref="System"/>.</summary>
    Developer,
    User,
    Assistant,
    /// <summary>Carries <see cref="ToolResultPart"/>s (OpenAI <c>tool</c> and legacy <c>function</c> messages).</summary>
    Tool,
}
