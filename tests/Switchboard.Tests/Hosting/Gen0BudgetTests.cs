using System.Net.Sockets;
using Switchboard.Hosting;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// <c>serve</c> runs with the larger gen0 budget (it restarts its own process image once with DOTNET_GCgen0size set),
/// keeps its PID and stdio through that restart, and leaves an operator's own setting alone. Real processes: what the
/// runtime reads is the environment the kernel holds for the process, read here from /proc.
/// </summary>
public sealed class Gen0BudgetTests
{
    private const string Yaml = "master_key: sk-gen0-master-0123456789abcdef\n";

    [Fact]
    public async Task Serve_runs_with_the_larger_gen0_budget_under_the_same_pid()
    {
        if (!OperatingSystem.IsLinux()) return; // the restart is Linux-only (execve); elsewhere the default budget applies
        await using var gateway = await StartWithoutAnyGen0SettingAsync();

        Assert.Equal($"{Gen0Budget.Variable}={Gen0Budget.Value}", Gen0Setting(gateway.ProcessId));
        using var client = gateway.Client();
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        // The restart happens before anything is printed: one banner, not two.
        Assert.Single(gateway.Output.Split('\n'), line => line.StartsWith("Switchboard on http://", StringComparison.Ordinal));
        await gateway.StopGracefullyAsync();
        Assert.Contains("Usage ledger stopped", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnostic_tools_can_still_attach_after_the_restart()
    {
        if (!OperatingSystem.IsLinux()) return;
        await using var gateway = await StartWithoutAnyGen0SettingAsync();
        using var client = gateway.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        // dotnet-counters, dotnet-trace and dotnet-dump find the process by this file and connect to it; the first
        // image's file, left behind by the exec, used to refuse every connection.
        var socketPath = Assert.Single(Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{gateway.ProcessId}-*-socket"));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        Assert.True(socket.Connected);
    }

    [Fact]
    public async Task An_operators_own_setting_wins()
    {
        if (!OperatingSystem.IsLinux()) return;
        await using var gateway = await GatewayProcess.StartAsync(Yaml, new Dictionary<string, string?> { [Gen0Budget.Variable] = "0" });

        Assert.Equal($"{Gen0Budget.Variable}=0", Gen0Setting(gateway.ProcessId));
        using var client = gateway.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>A gateway started with neither spelling of the variable in its environment: the restart applies.</summary>
    private static Task<GatewayProcess> StartWithoutAnyGen0SettingAsync() =>
        GatewayProcess.StartAsync(Yaml, new Dictionary<string, string?> { [Gen0Budget.Variable] = null, ["COMPlus_GCgen0size"] = null });

    private static string? Gen0Setting(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0').SingleOrDefault(v => v.StartsWith(Gen0Budget.Variable + "=", StringComparison.Ordinal));
}
