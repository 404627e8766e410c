namespace Switchboard.Translation;

/// <summary>
/// What an upstream said about a failure, in its own words (read from its error body by a dialect's error reader),
/// before the gateway classifies it into a status and a disposition.
/// </summary>
/// <param name="Type">The provider's error type or status word (OpenAI <c>type</c>, Anthropic <c>error.type</c>, Gemini <c>status</c>).</param>
/// <param name="Code">A machine code when the provider gives one (OpenAI <c>code</c>).</param>
/// <param name="Message">The human message, unscrubbed: the gateway scrubs secrets before showing it.</param>
/// <param name="Param">The offending parameter, when named.</param>
/// <param name="RetryAfter">How long the provider asked to wait (Gemini <c>RetryInfo.retryDelay</c>, …), when the body says.</param>
public sealed record UpstreamErrorInfo(string? Type, string? Code, string? Message, string? Param, TimeSpan? RetryAfter);
