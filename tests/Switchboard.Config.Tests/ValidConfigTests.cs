using Switchboard.Config;
using Switchboard.Limits;

namespace Switchboard.Config.Tests;

public sealed class ValidConfigTests
{
    private static readonly Dictionary<string, string> ContractEnv = new()
    {
        ["SWITCHBOARD_MASTER_KEY"] = "sb-master",
        ["OPENAI_API_KEY"] = "sk-openai",
        ["ANTHROPIC_API_KEY"] = "sk-ant",
        ["GEMINI_API_KEY"] = "gm-key",
        ["DEMO_KEY"] = "sk-demo",
    };

    [Fact]
    public void Contract_example_loads_with_the_right_values()
    {
        var path = TestConfig.FixturePath("contract-example.yaml");
        var result = ConfigLoader.LoadFile(path, TestConfig.ProviderTypes, TestConfig.Env(ContractEnv));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var config = result.Config!;
        Assert.Equal(path, config.SourcePath);
        Assert.Equal("sb-master", config.MasterKey);
        Assert.Equal("data/switchboard.db", config.Database);
        Assert.Equal(new ServerSettings(), config.Server);
        Assert.False(config.IsOpenMode);

        Assert.Equal(["openai", "anthropic", "gemini", "local"], config.Providers.Select(p => p.Name));
        var openai = config.Providers[0];
        Assert.Equal("openai", openai.Type);
        Assert.Equal(new Uri("https://api.openai.com/v1"), openai.BaseUrl);
        Assert.Equal("sk-openai", openai.ApiKey);
        Assert.Null(openai.ApiVersion);
        Assert.Empty(openai.Headers);
        Assert.Equal(TimeSpan.FromSeconds(10), openai.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), openai.RequestTimeout);
        Assert.Equal("anthropic", config.Providers[1].Type);
        Assert.Equal("sk-ant", config.Providers[1].ApiKey);
        Assert.Equal("gemini", config.Providers[2].Type);
        Assert.Equal(new Uri("https://generativelanguage.googleapis.com"), config.Providers[2].BaseUrl);
        var local = config.Providers[3];
        Assert.Equal(new Uri("http://127.0.0.1:11434/v1"), local.BaseUrl);
        Assert.Null(local.ApiKey);

        Assert.Equal(["gpt-4o", "claude-sonnet", "smart"], config.Models.Select(m => m.Name));
        var gpt = Assert.Single(config.Models[0].Deployments);
        Assert.Equal("openai", gpt.Provider);
        Assert.Equal("gpt-4o", gpt.Model);
        Assert.Equal(2.5m, gpt.InputPerMTok);
        Assert.Equal(10m, gpt.OutputPerMTok);
        Assert.Null(gpt.CachedInputPerMTok);
        Assert.Equal(1, gpt.Weight);
        Assert.Equal(12, gpt.Line);
        var claude = Assert.Single(config.Models[1].Deployments);
        Assert.Equal("claude-sonnet-4-6", claude.Model);
        Assert.Null(claude.InputPerMTok);
        var smart = config.Models[2].Deployments;
        Assert.Equal(2, smart.Length);
        Assert.Equal(("openai", 3, 16), (smart[0].Provider, smart[0].Weight, smart[0].Line));
        Assert.Equal(("anthropic", 1, 17), (smart[1].Provider, smart[1].Weight, smart[1].Line));

        Assert.Equal<string>(["gpt-4o"], config.Fallbacks["claude-sonnet"]);
        Assert.Single(config.Fallbacks);

        var key = Assert.Single(config.Keys);
        Assert.Equal("sk-demo", key.Key);
        Assert.Equal("demo", key.Name);
        Assert.Equal<string>(["gpt-4o", "smart"], key.Models!.Value);
        Assert.Equal(60, key.Limits.Rpm);
        Assert.Equal(100000, key.Limits.Tpm);
        Assert.Equal(5m, key.Limits.BudgetUsd);
        Assert.Null(key.Limits.MaxParallel);
        Assert.Equal(BudgetPeriod.Lifetime, key.Limits.BudgetPeriod);
        Assert.Null(key.ExpiresAt);
        Assert.Null(key.Team);
    }

    [Fact]
    public void Full_config_with_every_setting_loads()
    {
        var env = new Dictionary<string, string>
        {
            ["SWITCHBOARD_MASTER_KEY"] = "sb-master",
            ["PG_PASSWORD"] = "pw",
            ["OPENAI_API_KEY"] = "sk-openai",
            ["AZURE_KEY"] = "az-key",
        };
        var result = ConfigLoader.LoadFile(TestConfig.FixturePath("full.yaml"), TestConfig.ProviderTypes, TestConfig.Env(env));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var config = result.Config!;
        Assert.Equal("postgres://sb:pw@db:5432/switchboard", config.Database);
        Assert.Equal(new ServerSettings { Host = "0.0.0.0", Port = 8080 }, config.Server);

        var openai = config.Providers[0];
        Assert.Equal("https://api.openai.com/v1", openai.BaseUrl.AbsoluteUri);
        Assert.Equal<KeyValuePair<string, string>>([new("OpenAI-Organization", "org-123")], openai.Headers);
        Assert.Equal(TimeSpan.FromMilliseconds(500), openai.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), openai.RequestTimeout);

        var azure = config.Providers[1];
        Assert.Equal("azure-openai", azure.Type);
        Assert.Equal("2024-10-21", azure.ApiVersion);
        Assert.Equal(TimeSpan.FromSeconds(90), azure.RequestTimeout);
        Assert.Equal("2025-01-01-preview", config.Providers[2].ApiVersion);

        var gpt = Assert.Single(config.Models[0].Deployments);
        Assert.Equal(1.25m, gpt.CachedInputPerMTok);
        Assert.Equal(32, gpt.Line); // a single-mapping deployment starts at its first key
        Assert.Equal("my-gpt4o-deployment", Assert.Single(config.Models[1].Deployments).Model);
        var llama = config.Models[2].Deployments;
        Assert.Equal("llama3.1:8b", llama[0].Model);
        Assert.Equal(2, llama[0].Weight);

        Assert.Equal<string>(["gpt-4o", "azure-4o"], config.Fallbacks["llama"]);
        Assert.Equal<string>(["gpt-4o"], config.Fallbacks["azure-4o"]);

        var teamA = config.Keys[0];
        Assert.Equal(4, teamA.Limits.MaxParallel);
        Assert.Equal(12.5m, teamA.Limits.BudgetUsd);
        Assert.Equal(BudgetPeriod.Monthly, teamA.Limits.BudgetPeriod);
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 12, 0, 0, TimeSpan.Zero), teamA.ExpiresAt);
        Assert.Equal("research", teamA.Team);
        Assert.Null(config.Keys[1].Models);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    public void Empty_file_is_the_defaults(string yaml)
    {
        var config = TestConfig.LoadOk(yaml);

        Assert.Equal(TestConfig.Source, config.SourcePath);
        Assert.Equal(ConfigLoader.Defaults with { SourcePath = TestConfig.Source }, config);
        Assert.True(config.IsOpenMode);
    }

    [Fact]
    public void Defaults_are_open_mode_with_nothing_configured()
    {
        var defaults = ConfigLoader.Defaults;

        Assert.Null(defaults.SourcePath);
        Assert.Empty(defaults.Providers);
        Assert.Empty(defaults.Models);
        Assert.Empty(defaults.Keys);
        Assert.Empty(defaults.Fallbacks);
        Assert.Equal("data/switchboard.db", defaults.Database);
        Assert.True(defaults.IsOpenMode);
    }

    [Fact]
    public void Sections_may_come_in_any_order()
    {
        var config = TestConfig.LoadOk("""
            keys:
              - { key: k1, name: a, models: [m] }
            fallbacks:
              m: [n]
            models:
              m: { provider: p, model: x }
              n: { provider: p, model: y }
            providers:
              p: { type: openai, base_url: http://localhost:8000/v1 }
            """);

        Assert.Equal(2, config.Models.Length);
    }

    [Fact]
    public void Missing_file_is_an_error_not_an_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), $"switchboard-missing-{Guid.NewGuid():N}.yaml");

        var result = ConfigLoader.LoadFile(path, TestConfig.ProviderTypes);

        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.File);
        Assert.Equal(0, error.Line);
        Assert.Equal("config file not found", error.Message);
        Assert.Equal($"{path}: config file not found", error.ToString());
    }

    [Fact]
    public void LoadFile_names_the_file_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"switchboard-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "server:\n  prot: 80\n");
        try
        {
            var error = Assert.Single(ConfigLoader.LoadFile(path, TestConfig.ProviderTypes).Errors);

            Assert.Equal($"{path}:2:3: server.prot: unknown key 'prot' (allowed: host, port, shutdown_timeout, max_body_size, max_upload_size)", error.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
