using Switchboard.Config;
using Switchboard.Limits;
using Switchboard.Usage;

namespace Switchboard.Core.Tests.Pricing;

/// <summary>
/// Audio and moderation metering as a budgeted key sees it: speech billed by characters, transcription by seconds,
/// tokens where reported, moderations free unless priced; a model priced only for audio is admitted for audio.
/// </summary>
public sealed class AudioPricingTests : IDisposable
{
    private static ModelConfig Model(string name, DeploymentConfig deployment) => new() { Name = name, Deployments = [deployment] };

    private readonly GatewayRuntime _runtime = new(new GatewayConfig
    {
        Models =
        [
            Model("whisper", new() { Provider = "p", Model = "whisper-1" }),
            Model("tts", new() { Provider = "p", Model = "tts-1" }),
            Model("cheap-tts", new() { Provider = "p", Model = "tts-1", InputPerMChar = 1m }),
            Model("mini-tts", new() { Provider = "p", Model = "gpt-4o-mini-tts", InputPerMTok = 0.6m, OutputPerMTok = 12m, InputPerMChar = 2m }),
            Model("unpriced-audio", new() { Provider = "p", Model = "my-local-whisper" }),
            Model("moderation", new() { Provider = "p", Model = "omni-moderation-latest" }),
        ],
        Providers = [new ProviderConfig { Name = "p", Type = "openai", BaseUrl = new Uri("http://127.0.0.1:9") }],
    });


    public void Dispose() => _runtime.Dispose();

    private LimitAdmissionControl Control() =>
        new(new RuntimeHolder(_runtime), new global::Switchboard.Pricing.DeploymentPricing(global::Switchboard.Pricing.PriceList.BuiltIn), TimeProvider.System, new NoRecordedSpend());

    private static Switchboard.Auth.ClientIdentity Budgeted() => new()
    {
        Name = "k", KeyId = "k", Limits = new LimitSettings(null, null, null, BudgetUsd: 1m, BudgetPeriod.Lifetime),
    };

    private async Task<UsageRecord> SettleAsync(string model, MeteringKind kind, MeteredUnits units, TokenUsage tokens = default)
    {
        var routed = _runtime.Models[model];
        var admission = await Control().AdmitAsync(new AdmissionRequest(Budgeted(), routed, 0, null) { Metering = kind }, CancellationToken.None);
        Assert.Null(admission.Rejection);
        return admission.Settle(new UsageRecord
        {
            RequestId = "r", Timestamp = DateTimeOffset.UnixEpoch, Endpoint = "audio", Model = model, Status = 200,
            Usage = tokens, Units = units with { Kind = kind },
        }, routed.Deployments[0]);
    }

    [Fact]
    public async Task Transcription_seconds_are_billed_at_the_built_in_whisper_price()
    {
        var record = await SettleAsync("whisper", MeteringKind.Audio, new MeteredUnits(default, 0, 90));

        Assert.Equal(90 * 0.0001m, record.CostUsd);
    }

    [Fact]
    public async Task Speech_characters_are_billed_at_the_list_price_or_the_configured_one()
    {
        Assert.Equal(1000 * 15m / 1_000_000m, (await SettleAsync("tts", MeteringKind.Audio, new MeteredUnits(default, 1000, 0))).CostUsd);
        Assert.Equal(1000 * 1m / 1_000_000m, (await SettleAsync("cheap-tts", MeteringKind.Audio, new MeteredUnits(default, 1000, 0))).CostUsd);
    }

    [Fact]
    public async Task Reported_tokens_are_billed_on_top_of_the_characters()
    {
        var record = await SettleAsync("mini-tts", MeteringKind.Audio, new MeteredUnits(default, 100, 0), new TokenUsage(25, 1000, 1025, 0, 0));

        Assert.Equal((100 * 2m + 25 * 0.6m + 1000 * 12m) / 1_000_000m, record.CostUsd);
    }

    [Fact]
    public async Task Moderations_are_free_when_the_model_has_no_price()
    {
        var record = await SettleAsync("moderation", MeteringKind.FreeUnlessPriced, default, new TokenUsage(12, 0, 12, 0, 0));

        Assert.Equal(0m, record.CostUsd);
    }

    [Fact]
    public async Task A_budgeted_key_may_use_a_model_priced_only_for_audio_for_audio_but_not_for_tokens()
    {
        var whisper = _runtime.Models["whisper"];

        var forAudio = await Control().AdmitAsync(new AdmissionRequest(Budgeted(), whisper, 0, null) { Metering = MeteringKind.Audio }, CancellationToken.None);
        var forTokens = await Control().AdmitAsync(new AdmissionRequest(Budgeted(), whisper, 10, null), CancellationToken.None);

        Assert.Null(forAudio.Rejection);
        Assert.Equal("model_not_priced", forTokens.Rejection?.Code);
    }

    [Fact]
    public async Task A_budgeted_key_is_refused_an_audio_model_with_no_price_at_all()
    {
        var admission = await Control().AdmitAsync(
            new AdmissionRequest(Budgeted(), _runtime.Models["unpriced-audio"], 0, null) { Metering = MeteringKind.Audio }, CancellationToken.None);

        Assert.NotNull(admission.Rejection);
        Assert.Contains("p/my-local-whisper", admission.Rejection!.Message);
    }
}
