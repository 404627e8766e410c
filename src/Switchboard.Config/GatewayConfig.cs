using System.Collections.Frozen;
using System.Collections.Immutable;
using Switchboard.Limits;

namespace Switchboard.Config;

/// <summary>
/// The whole gateway configuration: immutable, validated at load, swapped atomically on reload.
/// Built only by <see cref="ConfigLoader"/> (or tests); nothing here is mutated after construction.
/// </summary>
public sealed record GatewayConfig
{
    /// <summary>File the config came from, or null for the built-in defaults.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Bearer for /admin and the dashboard. Null when not configured.</summary>
    public string? MasterKey { get; init; }

    /// <summary>SQLite path (default <c>data/switchboard.db</c>) or a <c>postgres://</c> URL.</summary>
    public string Database { get; init; } = "data/switchboard.db";

    /// <summary>Listen address from the file's <c>server:</c> section (command-line flags win).</summary>
    public ServerSettings Server { get; init; } = new();

    /// <summary>Upstream accounts by name, in file order.</summary>
    public ImmutableArray<ProviderConfig> Providers { get; init; } = [];

    /// <summary>Public model names with their deployments, in file order.</summary>
    public ImmutableArray<ModelConfig> Models { get; init; } = [];

    /// <summary>Per-model fallback chains: model name → other model names tried in order.</summary>
    public FrozenDictionary<string, ImmutableArray<string>> Fallbacks { get; init; } =
        FrozenDictionary<string, ImmutableArray<string>>.Empty;

    /// <summary>Virtual keys defined in the file.</summary>
    public ImmutableArray<KeyConfig> Keys { get; init; } = [];

    /// <summary>Teams defined in the file (shared limits and budgets for their keys), in file order.</summary>
    public ImmutableArray<TeamConfig> Teams { get; init; } = [];

    /// <summary>Chains tried only when a model refuses a request as too long for its context window.</summary>
    public FrozenDictionary<string, ImmutableArray<string>> ContextWindowFallbacks { get; init; } = FallbackChains.Empty;

    /// <summary>Chains tried only when a model refuses a request under its content policy.</summary>
    public FrozenDictionary<string, ImmutableArray<string>> ContentPolicyFallbacks { get; init; } = FallbackChains.Empty;

    /// <summary>Retries, backoff, cooldown and default timeouts (the <c>routing:</c> section).</summary>
    public RoutingSettings Routing { get; init; } = new();

    /// <summary>Per key or team model mappings (the <c>route_overrides:</c> section), in file order.</summary>
    public ImmutableArray<RouteOverride> RouteOverrides { get; init; } = [];

    /// <summary>Live reload settings (the <c>reload:</c> section).</summary>
    public ReloadSettings Reload { get; init; } = new();

    /// <summary>How images given by URL are fetched for upstreams that cannot fetch them (the <c>media:</c> section).</summary>
    public MediaSettings Media { get; init; } = new();

    /// <summary>How admission estimates a request against tpm and budgets (the <c>limits:</c> section).</summary>
    public LimitPolicy Limits { get; init; } = new();

    /// <summary>Limits for keys that do not set their own (the <c>key_defaults:</c> section).</summary>
    public KeyDefaults KeyDefaults { get; init; } = KeyDefaults.None;

    /// <summary>Stored Responses API answers: stored by default, and for how long (the <c>responses:</c> section).</summary>
    public ResponsesSettings Responses { get; init; } = new();

    /// <summary>Metrics, traces and the access log (the <c>telemetry:</c> section).</summary>
    public TelemetrySettings Telemetry { get; init; } = new();

    /// <summary>True when neither keys nor a master key are configured: any bearer is accepted.</summary>
    public bool IsOpenMode => Keys.IsEmpty && string.IsNullOrEmpty(MasterKey);
}

/// <summary>Where the gateway listens. Command-line flags override these.</summary>
public sealed record ServerSettings
{
    /// <summary>The default of <see cref="MaxBodySize"/>: 64 MiB (images as data URLs make chat bodies large).</summary>
    public const long DefaultMaxBodySize = 64L * 1024 * 1024;

    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 4000;

    /// <summary>
    /// How long a stop (SIGTERM, Ctrl+C) lets in-flight requests and streams finish before it ends the rest with an
    /// error; the usage ledger is flushed after that.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = DefaultShutdownTimeout;

    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Largest request body accepted, in bytes (<c>server.max_body_size</c>); larger ones get 413.</summary>
    public long MaxBodySize { get; init; } = DefaultMaxBodySize;

    /// <summary>The default of <see cref="MaxUploadSize"/>: 100 MiB (uploads are spooled to disk, not held in memory).</summary>
    public const long DefaultMaxUploadSize = 100L * 1024 * 1024;

    /// <summary>Largest multipart upload accepted (audio transcriptions, image edits), in bytes (<c>server.max_upload_size</c>); larger ones get 413.</summary>
    public long MaxUploadSize { get; init; } = DefaultMaxUploadSize;
}

/// <summary>How admission reserves a request's output against <c>tpm</c> and budgets (docs/limits.md).</summary>
public enum BudgetMode
{
    /// <summary>The request's expected cost: its prompt plus min(max_tokens, expected output tokens).</summary>
    Expected,
    /// <summary>The worst case: its prompt plus max_tokens (or 4,096 without it), all at the dearest rates.</summary>
    Strict,
}

/// <summary>The <c>limits:</c> section: how admission estimates requests (applies to every key and team).</summary>
public sealed record LimitPolicy
{
    public BudgetMode BudgetMode { get; init; } = BudgetMode.Expected;
    /// <summary>Output tokens expected of a request in expected mode (capped by its max_tokens).</summary>
    public int ExpectedOutputTokens { get; init; } = 1024;
}

/// <summary>Limits that apply to every key that does not set its own (<c>key_defaults:</c>).</summary>
public sealed record KeyDefaults
{
    public static readonly KeyDefaults None = new();

    /// <summary>Requests in flight at once per key, for keys without their own <c>max_parallel</c>; null = unlimited.</summary>
    public int? MaxParallel { get; init; }
}

/// <summary>
/// Image fetching on the client's behalf (Gemini takes no http(s) image URLs, so the gateway fetches them). By default
/// the gateway refuses to fetch from loopback, private, link-local and other non-public addresses, so that a client
/// cannot use it to reach the gateway's own network (cloud metadata, admin ports).
/// </summary>
public sealed record MediaSettings
{
    /// <summary>Allow fetching images from loopback and private addresses (for an intranet image host, or tests).</summary>
    public bool AllowPrivateNetworks { get; init; }
}

/// <summary>What an Anthropic deployment does with mid-conversation <c>role: system</c> messages (config <c>system_messages</c>).</summary>
public enum SystemMessageHandling
{
    /// <summary>Folded into the adjacent user turn as <c>&lt;system-reminder&gt;</c> text (models that refuse them).</summary>
    Fold,
    /// <summary>Relayed as sent (models that take them).</summary>
    Keep,
}

/// <summary>Which API a deployment's upstream model is called through (config <c>api</c>).</summary>
public enum DeploymentApi
{
    /// <summary>The provider's main API (Chat Completions, Messages, generateContent); Responses clients are translated.</summary>
    Chat,
    /// <summary>OpenAI's Responses API only (e.g. a codex model): every client is translated to it, a Responses client relayed.</summary>
    Responses,
}

/// <summary>One upstream account.</summary>
public sealed record ProviderConfig
{
    /// <summary>The name chosen in the config (the key under <c>providers:</c>).</summary>
    public required string Name { get; init; }
    /// <summary>The provider type's name as written in the config (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>, <c>azure-openai</c>, ...);
    /// the provider registry knows what each one means.</summary>
    public required string Type { get; init; }
    /// <summary>Absolute http(s) URL. For <c>openai</c> it includes <c>/v1</c>; for the others it is the host root.</summary>
    public required Uri BaseUrl { get; init; }
    /// <summary>The provider's own secret; null for keyless local servers. Never logged.</summary>
    public string? ApiKey { get; init; }
    /// <summary>The <c>api-version</c> query value, for types that take one (azure-openai); null for the others.</summary>
    public string? ApiVersion { get; init; }
    /// <summary>Extra headers sent upstream on every request (e.g. OpenAI-Organization).</summary>
    public ImmutableArray<KeyValuePair<string, string>> Headers { get; init; } = [];
    /// <summary>Connect timeout for this upstream.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Total time allowed for one non-streaming upstream request (streams are bounded by idle time).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Timeouts set for this provider (<c>timeouts:</c>, or the older <c>connect_timeout</c> / <c>timeout</c>); null fields inherit.</summary>
    public TimeoutSettings Timeouts { get; init; } = TimeoutSettings.None;
    /// <summary>
    /// Responses clients are relayed to the provider's own Responses API (config <c>responses</c>, else its type's
    /// default for the base URL); false: they are translated to its main API. Always false for types without one.
    /// </summary>
    public bool Responses { get; init; }
}

/// <summary>A public model name and the deployments that can serve it.</summary>
public sealed record ModelConfig
{
    public required string Name { get; init; }
    /// <summary>At least one.</summary>
    public required ImmutableArray<DeploymentConfig> Deployments { get; init; }
    /// <summary>How deployments are ordered; null = <see cref="RoutingSettings.DefaultStrategy"/>.</summary>
    public RoutingStrategy? Strategy { get; init; }
    /// <summary>Timeouts for this model's deployments (null fields inherit).</summary>
    public TimeoutSettings Timeouts { get; init; } = TimeoutSettings.None;
    /// <summary>Not listed and not requestable by name; reachable through route overrides and fallbacks.</summary>
    public bool Hidden { get; init; }
}

/// <summary>One way to serve a model: a provider plus the upstream model id and its prices.</summary>
public sealed record DeploymentConfig
{
    /// <summary>Name of a provider defined under <c>providers:</c>.</summary>
    public required string Provider { get; init; }
    /// <summary>The upstream model id (for Azure: the deployment name).</summary>
    public required string Model { get; init; }
    /// <summary>USD per million input tokens; null = use the built-in price list.</summary>
    public decimal? InputPerMTok { get; init; }
    /// <summary>USD per million output tokens; null = use the built-in price list.</summary>
    public decimal? OutputPerMTok { get; init; }
    /// <summary>USD per million cached input tokens; null = built-in list, else the input price.</summary>
    public decimal? CachedInputPerMTok { get; init; }
    /// <summary>USD per million image input tokens (gpt-image <c>input_tokens_details.image_tokens</c>); null = the input price.</summary>
    public decimal? ImageInputPerMTok { get; init; }
    /// <summary>USD per generated image by <c>SIZE/QUALITY</c>, <c>SIZE</c>, <c>*/QUALITY</c> or <c>default</c> (config <c>image_prices</c>); null = none.</summary>
    public IReadOnlyDictionary<string, decimal>? ImagePrices { get; init; }
    /// <summary>Speech: USD per million input characters; null = built-in list (tts-1, tts-1-hd).</summary>
    public decimal? InputPerMChar { get; init; }
    /// <summary>Transcription and translation: USD per second of audio; null = built-in list (whisper-1).</summary>
    public decimal? PerSecond { get; init; }
    /// <summary>Relative weight for weighted balancing (default 1).</summary>
    public int Weight { get; init; } = 1;
    /// <summary>Order for the priority strategy (lower first); null = list position.</summary>
    public int? Priority { get; init; }
    /// <summary>Timeouts for this deployment (null fields inherit).</summary>
    public TimeoutSettings Timeouts { get; init; } = TimeoutSettings.None;
    /// <summary>Anthropic upstreams: what to do with mid-conversation system messages; null = decided by the model family.</summary>
    public SystemMessageHandling? SystemMessages { get; init; }
    /// <summary>Which of the provider's APIs the model is called through (config <c>api</c>; responses only where the type has it).</summary>
    public DeploymentApi Api { get; init; } = DeploymentApi.Chat;
    /// <summary>1-based line in the config file, for messages about this deployment.</summary>
    public int Line { get; init; }
}

/// <summary>A virtual key defined in the config file.</summary>
public sealed record KeyConfig
{
    /// <summary>The secret clients send. Never logged.</summary>
    public required string Key { get; init; }
    public required string Name { get; init; }
    /// <summary>Models this key may use; null = every model.</summary>
    public ImmutableArray<string>? Models { get; init; }
    /// <summary>Limits and budget (config: <c>rpm</c>, <c>tpm</c>, <c>max_parallel</c>, <c>budget_usd</c>, <c>budget_period</c>).</summary>
    public LimitSettings Limits { get; init; } = LimitSettings.None;
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>Team name this key belongs to (its limits are under <c>teams:</c>, or managed via /admin/teams).</summary>
    public string? Team { get; init; }
}

/// <summary>A team defined in the config file: limits and a budget shared by all of its keys.</summary>
public sealed record TeamConfig
{
    public required string Name { get; init; }
    /// <summary>Limits and budget (config: <c>rpm</c>, <c>tpm</c>, <c>max_parallel</c>, <c>budget_usd</c>, <c>budget_period</c>).</summary>
    public LimitSettings Limits { get; init; } = LimitSettings.None;
}
