using Switchboard.Config;

namespace Switchboard.Core.Tests.Routing;

/// <summary>A replaced runtime is disposed only once its last request is done; unchanged providers are carried over.</summary>
public sealed class RuntimeLeaseTests
{
    private static GatewayConfig Config(string url) => new()
    {
        Providers =
        [
            new ProviderConfig { Name = "kept", Type = "openai", BaseUrl = new Uri("http://127.0.0.1:1/v1") },
            new ProviderConfig { Name = "changed", Type = "openai", BaseUrl = new Uri(url) },
        ],
        Models = [new ModelConfig { Name = "m", Deployments = [new DeploymentConfig { Provider = "changed", Model = "x" }] }],
    };

    [Fact]
    public void A_retired_runtime_waits_for_its_last_lease_and_unchanged_providers_are_reused()
    {
        var holder = new RuntimeHolder(new GatewayRuntime(Config("http://127.0.0.1:2/v1")));
        var lease = holder.Lease();
        var old = lease.Runtime;

        var next = new GatewayRuntime(Config("http://127.0.0.1:3/v1"), previous: old);
        holder.Swap(next).Retire();

        Assert.False(old.IsDisposed);
        Assert.Same(old.Providers["kept"], next.Providers["kept"]);
        Assert.NotSame(old.Providers["changed"], next.Providers["changed"]);
        Assert.Same(next, holder.Lease().Runtime);

        lease.Dispose();
        Assert.True(old.IsDisposed);
        // The carried-over provider still works for the new runtime; the replaced one is gone.
        Assert.Throws<ObjectDisposedException>(() => old.Providers["changed"].Http.SendAsync(new HttpRequestMessage(), default).GetAwaiter().GetResult());
        var kept = Record.Exception(() => next.Providers["kept"].Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/"), new CancellationToken(true)).GetAwaiter().GetResult());
        Assert.IsNotType<ObjectDisposedException>(kept);
        next.Dispose();
    }
}
