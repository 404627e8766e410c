using System.Collections.Frozen;
using Switchboard.Limits;

namespace Switchboard.Auth;

/// <summary>Who is calling: a virtual key's public facts (never its secret).</summary>
public sealed record ClientIdentity
{
    /// <summary>The key's name, or "anonymous" in open mode.</summary>
    public required string Name { get; init; }
    /// <summary>The key's stable id (never its secret); null in open mode.</summary>
    public string? KeyId { get; init; }
    /// <summary>Models this key may use; null = all.</summary>
    public FrozenSet<string>? AllowedModels { get; init; }
    public string? Team { get; init; }
    /// <summary>The key's own limits and budget; null = none.</summary>
    public LimitSettings? Limits { get; init; }
    /// <summary>The team's limits and budget, enforced together with the key's; null = none (or no team).</summary>
    public LimitSettings? TeamLimits { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool IsAnonymous { get; init; }

    public static readonly ClientIdentity Anonymous = new() { Name = "anonymous", IsAnonymous = true };

    public bool MayUse(string model) => AllowedModels is null || AllowedModels.Contains(model);
}
