using Switchboard.Dialects;
using Switchboard.Providers.OpenAI;
using Switchboard.Providers;

namespace Switchboard.Pipeline;

/// <summary>
/// One client-facing operation: its dialect, the body it requires, and, for OpenAI-only operations, where the
/// request goes on an OpenAI-wire upstream. Operations with <see cref="OpenAITarget"/> null are chat and can be
/// translated to any upstream wire. Each dialect declares its operations (<see cref="ClientDialects"/>).
/// </summary>
/// <summary>Reads what the gateway must know of a request before routing from the request and its body.</summary>
public delegate (OpenAIRequestHead Head, Errors.GatewayError? Error) RequestHeadReader(Microsoft.AspNetCore.Http.HttpContext context, ReadOnlySpan<byte> body);

public sealed record ProxyOperation(
    string Name,
    OpenAIRequestHead.Kind Kind,
    IClientDialect Dialect,
    Func<IUpstreamTarget, string, Uri>? OpenAITarget)
{
    /// <summary>The operation's state across requests, built once from the services when its route is mapped; null: stateless.</summary>
    public Func<IServiceProvider, IOperationHook?>? Hook { get; init; }

    /// <summary>
    /// Reads the request head for a dialect whose model is not in the body (Gemini: in the URL); null: the body's,
    /// by <see cref="OpenAIRequestHead.Parse"/>.
    /// </summary>
    public RequestHeadReader? ReadHead { get; init; }

    /// <summary>How its attempts run when its answers are not chat's (images, audio, moderations); null: the chat relay.</summary>
    public IOperationAttempts? Attempts { get; init; }
    /// <summary>How its answers are priced (audio by characters or seconds, moderations free unless priced).</summary>
    public Usage.MeteringKind Metering { get; init; }

    /// <summary>Multipart operations (<see cref="OpenAIRequestHead.Kind.Upload"/>): the parts required besides <c>model</c>.</summary>
    public string[] RequiredParts { get; init; } = [];

    /// <summary>Chat can be answered by any wire through the canonical model; the others only by OpenAI-wire upstreams.</summary>
    public bool IsChat => OpenAITarget is null;
}
