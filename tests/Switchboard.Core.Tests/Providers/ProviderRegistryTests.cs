using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Core.Tests.Providers;

public sealed class ProviderRegistryTests
{
    public static TheoryData<string> TypeNames => [.. ProviderRegistry.Default.Names];

    private static ProviderConfig Minimal(string type) =>
        new() { Name = "p", Type = type, BaseUrl = new Uri("http://127.0.0.1:1/v1") };

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void Every_registered_type_builds_from_a_minimal_config(string name)
    {
        using var provider = new UpstreamProvider(Minimal(name));

        Assert.Same(ProviderRegistry.Default.Get(name), provider.Type);
        Assert.NotNull(provider.Protocol);
        Assert.Equal("http", provider.Protocol.ChatUri("some-model", stream: true).Scheme);
    }

    [Fact]
    public void The_gateway_registers_the_four_documented_types_uniquely()
    {
        Assert.Equal(["openai", "anthropic", "gemini", "azure-openai"], ProviderRegistry.Default.Names);
        Assert.Equal(ProviderRegistry.Default.Names.Count, ProviderRegistry.Default.Names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_name_registered_twice_is_refused()
    {
        var twice = ProviderRegistry.Default.All[0];

        var error = Assert.Throws<ArgumentException>(() => new ProviderRegistry([twice, twice]));
        Assert.Contains($"'{twice.Name}' is registered twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_type_is_refused_with_the_registered_names()
    {
        var error = Assert.Throws<ArgumentException>(() => new UpstreamProvider(Minimal("open-ai")));

        Assert.Contains("unknown provider type 'open-ai' (registered: openai, anthropic, gemini, azure-openai)", error.Message, StringComparison.Ordinal);
        Assert.Null(ProviderRegistry.Default.Find("open-ai"));
    }

    [Fact]
    public void Only_types_that_take_an_api_version_get_a_default_one()
    {
        Assert.Equal(["azure-openai"], ProviderRegistry.Default.All.Where(t => t.DefaultApiVersion is not null).Select(t => t.Name));
        Assert.Equal(["anthropic"], ProviderRegistry.Default.All.Where(t => t.DeploymentSettings.Contains("system_messages")).Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void The_capabilities_match_what_each_upstream_can_do(string name)
    {
        using var provider = new UpstreamProvider(Minimal(name));

        // Gemini takes no http(s) image URLs (the gateway inlines them); Anthropic counts tokens itself and may get
        // mid-conversation system messages folded.
        Assert.Equal(name != "gemini", provider.Type.FetchesRemoteImages);
        Assert.Equal(name == "anthropic", provider.Protocol is IUpstreamTokenCounter);
        Assert.Equal(name == "anthropic",
            provider.Protocol!.DescribeDeployment(new DeploymentConfig { Provider = name, Model = "claude-sonnet-4-5" }).FoldsSystemMessages);
        // The OpenAI-only operations (legacy completions, embeddings) need an OpenAI-wire target.
        Assert.Equal(name is "openai" or "azure-openai", provider.Target is not null);
    }
}
