using System.Globalization;
using System.Net.Sockets;

namespace Switchboard.Tests.Cli;

/// <summary><c>serve</c> as an operator starts it from a shell.</summary>
public sealed class ServeCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_port_in_use_is_one_clear_line_and_exit_code_1_not_a_stack_trace()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var (code, _, stderr) = await CliProcess.RunAsync(_dir, "serve", "--port", port);

        Assert.Equal(1, code);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}: the address is already in use", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
