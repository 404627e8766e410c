using Microsoft.AspNetCore.Http;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Limits;

/// <summary>What admission control needs to know about a request before it is routed.</summary>
/// <param name="Identity">The authenticated caller.</param>
/// <param name="Model">The public model, with every deployment that might serve it (for worst-case pricing).</param>
/// <param name="Prompt">The prompt's tokens, counted when admission or billing needs them; settled later with reported usage.</param>
/// <param name="MaxOutputTokens">The client's output cap, if it sent one.</param>
public readonly record struct AdmissionRequest(ClientIdentity Identity, RoutedModel Model, PromptTokens Prompt, long? MaxOutputTokens)
{
    /// <summary>How the operation is priced: what makes a deployment "priced" for a budgeted key.</summary>
    public MeteringKind Metering { get; init; }
}

/// <summary>
/// A request's prompt tokens: a known count, or the raw body and the tokenizer to count it with, on demand. Counting
/// is deferred because only keys with <c>tpm</c> or a budget need it at admission; otherwise it is needed only when an
/// upstream reports no usage. The body must outlive every call of <see cref="Count"/> (the request's handling).
/// </summary>
public readonly struct PromptTokens
{
    private readonly ReadOnlyMemory<byte> _body;
    private readonly string? _upstreamModel;
    private readonly long _known;

    /// <summary>A body to count with the tokenizer of <paramref name="upstreamModel"/> (loaded on first use).</summary>
    public PromptTokens(ReadOnlyMemory<byte> body, string upstreamModel)
    {
        _body = body;
        _upstreamModel = upstreamModel;
    }

    private PromptTokens(long known) => _known = known;

    public static implicit operator PromptTokens(long count) => new(count);

    /// <summary>The count (tokenizes the body each time it is called on an uncounted prompt: keep the result).</summary>
    public long Count() => _upstreamModel is null ? _known : TokenCounter.For(_upstreamModel).CountRequestBody(_body.Span);
}

/// <summary>
/// The gate every generation request passes after authentication and before routing: rate limits, parallel limits
/// and budgets. Admission reserves; <see cref="Admission.Settle"/> replaces the reservation with what was really used.
/// </summary>
public interface IAdmissionControl
{
    ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// The result of admission. Either a rejection (an error in the client's dialect, with headers such as
/// <c>Retry-After</c>) or a ticket that must be settled exactly once with the request's final ledger record.
/// </summary>
public abstract class Admission
{
    /// <summary>Non-null when the request is refused.</summary>
    public GatewayError? Rejection { get; protected init; }

    /// <summary>Headers for the client response (e.g. <c>x-ratelimit-*</c>, <c>Retry-After</c>), admitted or not.</summary>
    public virtual IReadOnlyList<KeyValuePair<string, string>> Headers => [];

    /// <summary>
    /// Called once, just before routing, for an admitted request: a ticket that must bill what a stream produced even
    /// when the upstream never reports usage (a client abort) may watch the response here.
    /// </summary>
    public virtual void Observe(HttpContext context)
    {
    }

    /// <summary>
    /// Settles the reservation with the final record and returns the record as the ledger should keep it
    /// (priced, attributed). Called once per admitted request, also for failures and aborted streams.
    /// </summary>
    public abstract UsageRecord Settle(UsageRecord final, RoutedDeployment? servedBy);
}
