namespace Switchboard.Config.Tests;

public sealed class UnknownAndDuplicateKeyTests
{
    [Fact]
    public void Unknown_key_is_reported_with_line_column_and_allowed_keys()
    {
        var result = TestConfig.Load("""
            providers:
              openai:
                type: openai
                base_url: https://api.openai.com/v1
                base_ur: https://api.openai.com/v1
            """);

        var error = Assert.Single(result.Errors);
        TestConfig.AssertError(error, 5, "providers.openai.base_ur",
            "unknown key 'base_ur' (allowed: type, base_url, api_key, api_version, headers, connect_timeout, timeout, timeouts, responses)");
        Assert.Equal(5, error.Column);
    }

    [Fact]
    public void Unknown_top_level_key()
    {
        var error = TestConfig.SingleError("""
            database: x.db
            provider:
              openai: {}
            """);

        TestConfig.AssertError(error, 2, "provider",
            "unknown key 'provider' (allowed: master_key, database, server, providers, models, fallbacks, keys, teams, media, limits, key_defaults, responses, telemetry, routing, reload, route_overrides, context_window_fallbacks, content_policy_fallbacks)");
    }

    [Fact]
    public void Unknown_keys_in_every_section_are_all_reported()
    {
        var result = TestConfig.Load("""
            server: { host: localhost, prot: 1 }
            providers:
              openai: { type: openai, base_url: https://api.openai.com/v1 }
            models:
              gpt-4o:
                - { provider: openai, model: gpt-4o, wieght: 2 }
            keys:
              - { key: k, name: n, rmp: 5 }
            """);

        Assert.Equal(3, result.Errors.Length);
        TestConfig.HasError(result, 1, "server.prot", "unknown key 'prot' (allowed: host, port, shutdown_timeout, max_body_size, max_upload_size)");
        TestConfig.HasError(result, 6, "models.gpt-4o[0].wieght",
            "unknown key 'wieght' (allowed: provider, model, input_per_mtok, output_per_mtok, cached_input_per_mtok, input_per_mchar, per_second, weight, priority, timeouts, system_messages, api, image_prices, image_input_per_mtok)");
        TestConfig.HasError(result, 8, "keys[0].rmp",
            "unknown key 'rmp' (allowed: key, name, models, rpm, tpm, max_parallel, budget_usd, budget_period, expires_at, team)");
    }

    [Fact]
    public void Duplicate_top_level_key()
    {
        var error = TestConfig.SingleError("""
            database: a.db
            master_key: m
            database: b.db
            """);

        TestConfig.AssertError(error, 3, "database", "duplicate key 'database' (first defined on line 1)");
    }

    [Fact]
    public void Duplicate_provider_name_and_duplicate_field_are_both_reported()
    {
        var result = TestConfig.Load("""
            providers:
              openai:
                type: openai
                base_url: https://api.openai.com/v1
                type: anthropic
              openai:
                type: gemini
                base_url: https://generativelanguage.googleapis.com
            """);

        Assert.Equal(2, result.Errors.Length);
        TestConfig.HasError(result, 5, "providers.openai.type", "duplicate key 'type' (first defined on line 3)");
        TestConfig.HasError(result, 6, "providers.openai", "duplicate key 'openai' (first defined on line 2)");
    }

    [Fact]
    public void Duplicate_key_inside_a_list_item_has_an_indexed_path()
    {
        var error = TestConfig.SingleError($$"""
            {{TestConfig.Preamble}}
            keys:
              - { key: a, name: first }
              - { key: b, name: second, name: again }
            """);

        TestConfig.AssertError(error, 7, "keys[1].name", "duplicate key 'name' (first defined on line 7)");
    }

    [Fact]
    public void The_first_of_duplicate_keys_wins_while_errors_are_collected()
    {
        var result = TestConfig.Load("""
            database: a.db
            database: b.db
            server: { port: 0 }
            """);

        Assert.Equal(2, result.Errors.Length);
        TestConfig.HasError(result, 3, "server.port", "must be between 1 and 65535, got '0'");
    }
}
