namespace Switchboard.Translation;

/// <summary>
/// Why a wire document was refused: the offending <see cref="Param"/> as a JSON path
/// (<c>messages[2].role</c>; null when the whole body is at fault), a <see cref="Message"/> that says what
/// is wrong with it, and an OpenAI-style <see cref="Code"/>. Maps onto a 400
/// <c>invalid_request_error</c> body for requests, and onto a bad-gateway error for upstream responses.
/// </summary>
public sealed record ValidationError(string? Param, string Message, string? Code = ValidationError.InvalidValue)
{
    public const string InvalidValue = "invalid_value";
    public const string InvalidType = "invalid_type";
    public const string MissingRequiredParameter = "missing_required_parameter";
    public const string InvalidJson = "invalid_json";
    /// <summary>An upstream answer that refused under its content policy (an image model that made no image).</summary>
    public const string ContentPolicy = "content_policy_violation";

    /// <summary>"param: message", the text for the error body's <c>message</c>.</summary>
    public override string ToString() => Param is null ? Message : $"{Param}: {Message}";
}
