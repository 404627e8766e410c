using Switchboard.Config;

namespace Switchboard.Config.Tests;

public sealed class TopLevelTests
{
    [Fact]
    public void Database_defaults_and_can_be_set()
    {
        Assert.Equal("data/switchboard.db", TestConfig.LoadOk("master_key: m\n").Database);
        Assert.Equal("/var/lib/sb.db", TestConfig.LoadOk("database: /var/lib/sb.db\n").Database);
        Assert.Equal("data/switchboard.db", TestConfig.LoadOk("database:\n").Database);
    }

    [Fact]
    public void Database_must_not_be_empty()
    {
        var error = TestConfig.SingleError("database: \"\"\n");

        TestConfig.AssertError(error, 1, "database", "must not be empty (omit it for the default data/switchboard.db)");
    }

    [Fact]
    public void Database_must_be_a_string()
    {
        var error = TestConfig.SingleError("database:\n  path: x.db\n");

        TestConfig.AssertError(error, 2, "database", "expected a string, got a mapping");
    }

    [Fact]
    public void Master_key_is_read_and_empty_means_none()
    {
        Assert.Equal("m-123", TestConfig.LoadOk("master_key: m-123\n").MasterKey);
        var open = TestConfig.LoadOk("master_key: ${SWITCHBOARD_MASTER_KEY:-}\n");
        Assert.Null(open.MasterKey);
        Assert.True(open.IsOpenMode);
    }

    [Fact]
    public void Media_private_networks_are_refused_unless_allowed()
    {
        Assert.False(TestConfig.LoadOk("master_key: m\n").Media.AllowPrivateNetworks);
        Assert.True(TestConfig.LoadOk("media: { allow_private_networks: true }\n").Media.AllowPrivateNetworks);
        var error = TestConfig.SingleError("media:\n  allow_private: true\n");
        Assert.Equal(2, error.Line);
        Assert.Contains("allow_private", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_budget_mode_is_expected_unless_strict_is_asked_for()
    {
        Assert.Equal(new LimitPolicy { BudgetMode = BudgetMode.Expected, ExpectedOutputTokens = 1024 }, TestConfig.LoadOk("master_key: m\n").Limits);
        Assert.Equal(new LimitPolicy { BudgetMode = BudgetMode.Strict, ExpectedOutputTokens = 512 },
            TestConfig.LoadOk("limits: { budget_mode: strict, expected_output_tokens: 512 }\n").Limits);
        var error = TestConfig.SingleError("limits:\n  budget_mode: lenient\n");
        Assert.Equal(2, error.Line);
        Assert.Contains("lenient", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Server_host_and_port()
    {
        var config = TestConfig.LoadOk("server:\n  host: 0.0.0.0\n  port: 8080\n");

        Assert.Equal(new ServerSettings { Host = "0.0.0.0", Port = 8080 }, config.Server);
        Assert.Equal(new ServerSettings { Host = "::1", Port = 4000 }, TestConfig.LoadOk("server: { host: \"::1\" }\n").Server);
    }

    [Theory]
    [InlineData("0", "must be between 1 and 65535, got '0'")]
    [InlineData("65536", "must be between 1 and 65535, got '65536'")]
    [InlineData("-1", "must be between 1 and 65535, got '-1'")]
    [InlineData("http", "expected a number, got 'http'")]
    [InlineData("80.5", "expected a whole number, got '80.5'")]
    public void Server_port_range(string port, string message)
    {
        var error = TestConfig.SingleError($"server:\n  host: localhost\n  port: {port}\n");

        TestConfig.AssertError(error, 3, "server.port", message);
        Assert.Equal(9, error.Column);
    }

    [Theory]
    [InlineData("1048576", 1048576L)]
    [InlineData("512KB", 512L * 1024)]
    [InlineData("100MB", 100L * 1024 * 1024)]
    [InlineData("1gb", 1024L * 1024 * 1024)]
    public void Server_max_body_size_takes_bytes_or_units(string text, long bytes)
    {
        Assert.Equal(bytes, TestConfig.LoadOk($"server: {{ max_body_size: {text} }}\n").Server.MaxBodySize);
    }

    [Fact]
    public void Server_max_body_size_defaults_to_64MB()
    {
        Assert.Equal(64L * 1024 * 1024, TestConfig.LoadOk("server: { port: 1 }\n").Server.MaxBodySize);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2GB")]
    [InlineData("ten MB")]
    [InlineData("-5")]
    public void Server_max_body_size_must_be_a_size(string text)
    {
        var error = TestConfig.SingleError($"server:\n  max_body_size: {text}\n");
        TestConfig.AssertError(error, 2, "server.max_body_size", $"must be a size from 1 byte to 1GB, such as 64MB or 1048576, got '{text}'");
    }

    [Fact]
    public void Server_max_upload_size_is_a_size_of_its_own_defaulting_to_100MB()
    {
        Assert.Equal(100L * 1024 * 1024, TestConfig.LoadOk("server: { port: 1 }\n").Server.MaxUploadSize);
        var config = TestConfig.LoadOk("server: { max_upload_size: 25MB }\n");
        Assert.Equal(25L * 1024 * 1024, config.Server.MaxUploadSize);
        Assert.Equal(64L * 1024 * 1024, config.Server.MaxBodySize);
        var error = TestConfig.SingleError("server:\n  max_upload_size: lots\n");
        TestConfig.AssertError(error, 2, "server.max_upload_size", "must be a size from 1 byte to 1GB, such as 64MB or 1048576, got 'lots'");
    }

    [Fact]
    public void Key_defaults_set_max_parallel_for_keys_without_their_own()
    {
        Assert.Equal(4, TestConfig.LoadOk("key_defaults: { max_parallel: 4 }\n").KeyDefaults.MaxParallel);
        Assert.Null(TestConfig.LoadOk("server: { port: 1 }\n").KeyDefaults.MaxParallel);
        var error = TestConfig.SingleError("key_defaults: { rpm: 4 }\n");
        Assert.Equal("key_defaults.rpm", error.KeyPath);
    }

    [Fact]
    public void Server_port_at_the_bounds_is_fine()
    {
        Assert.Equal(1, TestConfig.LoadOk("server: { port: 1 }\n").Server.Port);
        Assert.Equal(65535, TestConfig.LoadOk("server: { port: 65535 }\n").Server.Port);
    }

    [Fact]
    public void Server_shutdown_timeout_defaults_to_30_seconds_and_takes_a_duration()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), TestConfig.LoadOk("server: { port: 4000 }\n").Server.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), TestConfig.LoadOk("master_key: m\n").Server.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), TestConfig.LoadOk("server: { shutdown_timeout: 2m }\n").Server.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), TestConfig.LoadOk("server:\n  shutdown_timeout: 1.5\n").Server.ShutdownTimeout);
    }

    [Theory]
    [InlineData("soon", "expected a duration like 10s, 500ms, 2m or a number of seconds, got 'soon'")]
    [InlineData("0s", "must be more than 0 and at most 24h, got '0s'")]
    public void Server_shutdown_timeout_must_be_a_positive_duration(string value, string message)
    {
        var error = TestConfig.SingleError($"server:\n  shutdown_timeout: {value}\n");

        TestConfig.AssertError(error, 2, "server.shutdown_timeout", message);
    }

    [Fact]
    public void Server_must_be_a_mapping()
    {
        var error = TestConfig.SingleError("server: localhost:4000\n");

        TestConfig.AssertError(error, 1, "server", "expected a mapping, got a string");
    }

    [Fact]
    public void Top_level_must_be_a_mapping()
    {
        var error = TestConfig.SingleError("- providers\n- models\n");

        TestConfig.AssertError(error, 1, "", "expected a mapping of settings at the top level, got a list");
    }

    [Fact]
    public void Only_one_document_is_allowed()
    {
        var error = TestConfig.SingleError("database: a.db\n---\ndatabase: b.db\n");

        TestConfig.AssertError(error, 3, "", "only one YAML document is allowed per config file");
    }

    [Fact]
    public void Keys_must_be_plain_strings()
    {
        var error = TestConfig.SingleError("? [a, b]\n: x\n");

        TestConfig.AssertError(error, 1, "", "keys must be plain strings");
    }
}
