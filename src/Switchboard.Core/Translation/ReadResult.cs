using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Translation;

/// <summary>
/// The outcome of reading a wire document: the value, or the <see cref="ValidationError"/> that stopped
/// it. Invalid input is an expected outcome at a gateway, so it is a value rather than an exception.
/// </summary>
public readonly record struct ReadResult<T> where T : class
{
    public ReadResult(T value) => Value = value;

    public ReadResult(ValidationError error) => Error = error;

    public T? Value { get; }

    public ValidationError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static implicit operator ReadResult<T>(T value) => new(value);

    public static implicit operator ReadResult<T>(ValidationError error) => new(error);
}
