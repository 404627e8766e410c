namespace Switchboard.Config;

/// <summary>The <c>responses:</c> section: the Responses API's stored responses (<c>store</c>, <c>previous_response_id</c>).</summary>
public sealed record ResponsesSettings
{
    /// <summary>The default retention: 30 days, as OpenAI keeps responses.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(30);

    /// <summary>Whether a response is stored when its request does not say (<c>store</c>); true, as OpenAI.</summary>
    public bool Store { get; init; } = true;

    /// <summary>How long a stored response is kept (and can be continued, read or listed) after it was made.</summary>
    public TimeSpan Retention { get; init; } = DefaultRetention;
}
