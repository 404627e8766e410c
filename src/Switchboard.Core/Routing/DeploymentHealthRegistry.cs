using System.Collections.Concurrent;

namespace Switchboard.Routing;

/// <summary>
/// Health of every deployment by provider name + upstream model, shared by every runtime the process builds: a
/// config reload keeps the state of deployments that still exist. Looked up only when a runtime is built, never
/// per request (each routed deployment holds its own <see cref="DeploymentHealth"/>).
/// </summary>
public sealed class DeploymentHealthRegistry
{
    private readonly ConcurrentDictionary<(string Provider, string Model), DeploymentHealth> _byDeployment = new();

    public DeploymentHealth Get(string provider, string model) =>
        _byDeployment.GetOrAdd((provider, model), static key => new DeploymentHealth(key.Provider, key.Model));
}
