namespace Switchboard.Telemetry;

/// <summary>
/// The attribute names of the gateway's metrics (the OpenTelemetry GenAI semantic conventions' names where they define
/// one) and cached label values, so that recording a measurement builds no string and boxes nothing.
/// </summary>
public static class MetricTags
{
    public const string OperationName = "gen_ai.operation.name";
    /// <summary>The provider's name in the config (e.g. <c>openai-eu</c>).</summary>
    public const string ProviderName = "gen_ai.provider.name";
    /// <summary>The model the client asked for, if the config has it (else <see cref="UnknownModel"/>).</summary>
    public const string RequestModel = "gen_ai.request.model";
    /// <summary>The deployment's upstream model (from the config).</summary>
    public const string ResponseModel = "gen_ai.response.model";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string StatusCode = "http.response.status_code";
    public const string Endpoint = "switchboard.endpoint";
    public const string Key = "switchboard.key";
    public const string Team = "switchboard.team";
    public const string Limit = "switchboard.limit";
    public const string LimitScope = "switchboard.limit.scope";
    public const string Outcome = "switchboard.outcome";

    /// <summary>The model label of a request for a model the config does not have: clients may send any string.</summary>
    public const string UnknownModel = "unknown";
    /// <summary>The provider (or key, team) label when there is none (a request refused before routing; open mode).</summary>
    public const string None = "none";

    private const int MaxStatus = 600;
    private static readonly string[] StatusTexts = BuildStatusTexts();
    private static readonly object[] BoxedStatuses = BuildBoxedStatuses();
    private static readonly object OtherStatus = 0;

    /// <summary>An HTTP status as the <c>error.type</c> label ("429").</summary>
    public static string StatusText(int status) => (uint)status < MaxStatus ? StatusTexts[status] : "other";

    /// <summary>An HTTP status as an <c>http.response.status_code</c> value, boxed once per process.</summary>
    public static object BoxedStatus(int status) => (uint)status < MaxStatus ? BoxedStatuses[status] : OtherStatus;

    /// <summary>The GenAI operation name of a client endpoint (<c>chat.completions</c>, <c>messages</c>, <c>responses</c> → <c>chat</c>).</summary>
    public static string OperationFor(string endpoint) => endpoint switch
    {
        "chat.completions" or "messages" or "responses" => "chat",
        "completions" => "text_completion",
        _ => endpoint,
    };

    private static string[] BuildStatusTexts()
    {
        var texts = new string[MaxStatus];
        for (var i = 0; i < texts.Length; i++) texts[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return texts;
    }

    private static object[] BuildBoxedStatuses()
    {
        var boxed = new object[MaxStatus];
        for (var i = 0; i < boxed.Length; i++) boxed[i] = i;
        return boxed;
    }
}
