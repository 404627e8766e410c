using System.Collections.Immutable;
using Switchboard.Limits;

namespace Switchboard.Storage.Keys;

/// <summary>Where a key or team came from.</summary>
public static class RecordSource
{
    public const string Config = "config";
    public const string Api = "api";
    public const string Cli = "cli";
}

/// <summary>A stored virtual key: everything but its secret (only <see cref="SecretHash"/> and a display prefix).</summary>
public sealed record KeyRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Hex SHA-256 of the secret; internal so it never reaches an API answer by accident.</summary>
    internal string SecretHash { get; init; } = "";
    public required string SecretPrefix { get; init; }
    public string? Team { get; init; }
    /// <summary>Models the key may use; null = every model.</summary>
    public ImmutableArray<string>? Models { get; init; }
    public LimitSettings Limits { get; init; } = LimitSettings.None;
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required string Source { get; init; }

    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>What a new key is created with (the secret is generated unless given, e.g. from the config file).</summary>
public sealed record KeySpec
{
    public required string Name { get; init; }
    public string? Team { get; init; }
    public ImmutableArray<string>? Models { get; init; }
    public LimitSettings Limits { get; init; } = LimitSettings.None;
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A field a PATCH may set (to a value or to null) or leave alone.</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public T Or(T current) => IsSet ? Value : current;
}

/// <summary>Builds <see cref="Optional{T}"/> values.</summary>
public static class Optional
{
    public static Optional<T> Of<T>(T value) => new(true, value);
}

/// <summary>A partial update of a key: unset fields keep their value.</summary>
public sealed record KeyPatch
{
    public Optional<string> Name { get; init; }
    public Optional<string?> Team { get; init; }
    public Optional<ImmutableArray<string>?> Models { get; init; }
    public LimitPatch Limits { get; init; }
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }
}

/// <summary>A partial update of <see cref="LimitSettings"/>: unset fields keep their value.</summary>
public readonly record struct LimitPatch(Optional<int?> Rpm, Optional<int?> Tpm, Optional<int?> MaxParallel, Optional<decimal?> BudgetUsd,
    Optional<BudgetPeriod> BudgetPeriod)
{
    /// <summary><paramref name="current"/> with the fields this patch sets.</summary>
    public LimitSettings ApplyTo(LimitSettings current) => new(Rpm.Or(current.Rpm), Tpm.Or(current.Tpm),
        MaxParallel.Or(current.MaxParallel), BudgetUsd.Or(current.BudgetUsd), BudgetPeriod.Or(current.BudgetPeriod));
}

/// <summary>A key just created, with its secret: shown to the caller once, never stored.</summary>
public sealed record CreatedKey(KeyRecord Key, string Secret);

/// <summary>A team: limits and a budget shared by its keys.</summary>
public sealed record TeamRecord
{
    public required string Name { get; init; }
    public LimitSettings Limits { get; init; } = LimitSettings.None;
    public string Source { get; init; } = RecordSource.Api;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Everything the key cache needs, read in one go.</summary>
public sealed record KeySnapshot(long Sequence, IReadOnlyList<KeyRecord> Keys, IReadOnlyList<TeamRecord> Teams);
