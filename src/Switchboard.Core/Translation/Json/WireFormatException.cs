namespace Switchboard.Translation.Json;

/// <summary>
/// Thrown inside readers on the first invalid member and turned into a <see cref="ValidationError"/> at
/// the public entry point. Readers are recursive descent over <see cref="System.Text.Json.Utf8JsonReader"/>,
/// and unwinding by exception keeps the happy path free of error plumbing; it is paid only on a 400.
/// </summary>
internal sealed class WireFormatException : Exception
{
    public WireFormatException()
    {
        Error = new ValidationError(null, "invalid document");
    }

    public WireFormatException(string message)
        : base(message)
    {
        Error = new ValidationError(null, message);
    }

    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new ValidationError(null, message);
    }

    public WireFormatException(ValidationError error)
        : base(error.ToString())
    {
        Error = error;
    }

    public ValidationError Error { get; }
}
