using System.Globalization;

namespace Switchboard.Tests.Cli;

/// <summary><c>switchboard health</c>: the container health check (the runtime image has no curl).</summary>
public sealed class HealthCliTests
{
    [Fact]
    public async Task Health_exits_0_while_the_gateway_is_ready()
    {
        await using var gateway = await GatewayProcess.StartAsync("models: {}\n");

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Path.GetTempPath(), "health", "--port", gateway.Port.ToString(CultureInfo.InvariantCulture));

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.StartsWith("200 ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_exits_1_when_no_gateway_answers()
    {
        var port = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture);

        var (exitCode, _, stderr) = await CliProcess.RunAsync(Path.GetTempPath(), "health", "--port", port);

        Assert.Equal(1, exitCode);
        Assert.Contains($"127.0.0.1:{port}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_refuses_a_url_that_is_not_http()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(Path.GetTempPath(), "health", "--url", "ftp://example/health");

        Assert.Equal(1, exitCode);
        Assert.Contains("not an http(s) URL", stderr, StringComparison.Ordinal);
    }
}
