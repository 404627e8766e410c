using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Auth;
using Switchboard.Config;
using Switchboard.Limits;

namespace Switchboard.Storage.Keys;

/// <summary>
/// The gateway's in-memory view of every key and team, so authentication never waits for the database.
/// <para>
/// Freshness: writes made through this process call <see cref="RefreshAsync"/> and are visible before the admin call
/// returns; writes by other processes are seen within one poll of the change sequence (every
/// <see cref="PollInterval"/>, one tiny indexed read) plus one reload. If the database is unreachable, the last
/// snapshot (seeded with the config file's keys at startup) keeps answering and <see cref="IsDatabaseHealthy"/> says so.
/// </para>
/// <para>
/// Lookup cost: hashing every presented secret with SHA-256 on every request is not free, so the hash of a
/// presented secret is remembered in a bounded map (secret → hash). The map holds only hashes of secrets clients
/// sent; revocation works on the snapshot (hash → identity), so a remembered hash never outlives a revocation.
/// </para>
/// <para>
/// A key the snapshot does not know is looked up in the database by its hash (<see cref="FindUncachedAsync"/>), so a
/// key created on another replica works there at once instead of after the next poll; that path is rate-limited and
/// remembers misses briefly, so random bearers cannot load the database.
/// </para>
/// </summary>
public sealed partial class KeyDirectory : IKeyLookup, IHostedService, IDisposable
{
    /// <summary>How often other processes' changes are polled for.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private const int HashCacheLimit = 10_000;

    private readonly KeyRepository _repository;
    private volatile GatewayConfig _config;
    private readonly ILogger<KeyDirectory> _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _hashBySecret = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile Snapshot _snapshot;
    private Task? _poller;
    private long _loadedSequence = -1;
    private volatile bool _databaseHealthy;
    private volatile bool _configSynced;
    private bool _reportedDown;

    public KeyDirectory(KeyRepository repository, GatewayConfig config, TimeProvider time, ILogger<KeyDirectory> logger)
    {
        _repository = repository;
        _config = config;
        _time = time;
        _logger = logger;
        // Until the database answers, the config file's keys are known (so they work with the database down).
        var now = time.GetUtcNow();
        _snapshot = Build([.. config.Keys.Select(k => KeyRepository.FromConfig(k, now))], [.. config.Teams.Select(KeyRepository.ToTeam)]);
    }

    /// <summary>False while the database cannot be reached (the cache keeps serving; /health/ready reports degraded).</summary>
    public bool IsDatabaseHealthy => _databaseHealthy;

    /// <summary>The change sequence of the loaded snapshot (-1 before the first load).</summary>
    public long LoadedSequence => Interlocked.Read(ref _loadedSequence);

    public bool TryFind(string secret, [NotNullWhen(true)] out ClientIdentity? identity) =>
        _snapshot.Active.TryGetValue(HashOf(secret), out identity);

    public bool IsRevoked(string secret) => _snapshot.Revoked.Contains(HashOf(secret));

    /// <summary>
    /// The active (not revoked) key with this id, or null; expiry is checked by the caller. A scan of the loaded keys:
    /// only the console asks, once per page, so no second index is kept for it.
    /// </summary>
    public ClientIdentity? FindActiveById(string keyId)
    {
        foreach (var identity in _snapshot.Active.Values)
        {
            if (string.Equals(identity.KeyId, keyId, StringComparison.Ordinal)) return identity;
        }
        return null;
    }

    private string HashOf(string secret)
    {
        if (_hashBySecret.TryGetValue(secret, out var hash)) return hash;
        hash = KeySecrets.Hash(secret);
        // Bounded: a flood of random bearers can only make us hash again, never grow memory without limit.
        if (_hashBySecret.Count >= HashCacheLimit) _hashBySecret.Clear();
        _hashBySecret[secret] = hash;
        return hash;
    }

    /// <summary>
    /// Migrates, writes the config file's keys and teams, and loads the snapshot. Never throws for an unreachable
    /// database: the gateway starts degraded and the poller keeps trying.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryConnectAsync(cancellationToken).ConfigureAwait(false);
        _poller = Task.Run(() => PollAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_poller is not null)
        {
            try { await _poller.WaitAsync(cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>
    /// A reloaded config file: its keys and teams are written to the database (keys dropped from the file are revoked,
    /// as at startup) and the snapshot is reloaded. With the database unreachable, the write happens when it returns.
    /// </summary>
    public async Task ApplyConfigAsync(GatewayConfig config, CancellationToken cancellationToken = default)
    {
        _config = config;
        _configSynced = false;
        await TryConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reloads now if the database moved on (after a local write: visible before the caller answers).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = await _repository.SnapshotAsync(cancellationToken).ConfigureAwait(false);
            Install(snapshot);
        }
        finally
        {
            _reload.Release();
        }
    }

    private async Task TryConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!_configSynced)
            {
                await _repository.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
                await _repository.SyncConfigAsync(_config.Keys, _config.Teams, cancellationToken).ConfigureAwait(false);
                _configSynced = true;
            }
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            if (!_databaseHealthy) LogDatabaseReachable(_logger, _repository.Database.Location.Display);
            _databaseHealthy = true;
            _reportedDown = false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            MarkUnhealthy(e);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!_configSynced || !_databaseHealthy)
                {
                    await TryConnectAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                try
                {
                    var sequence = await _repository.ChangeSequenceAsync(cancellationToken).ConfigureAwait(false);
                    if (sequence != LoadedSequence) await RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    MarkUnhealthy(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void MarkUnhealthy(Exception e)
    {
        // Once per outage, not on every retry.
        if (!_reportedDown)
        {
            _reportedDown = true;
            // The exception's message names host and port at most; connection strings (with passwords) are never in it.
            LogDatabaseUnreachable(_logger, _repository.Database.Location.Display, e.GetType().Name, e.Message);
        }
        _databaseHealthy = false;
    }

    private void Install(KeySnapshot snapshot)
    {
        _snapshot = Build(snapshot.Keys, snapshot.Teams);
        Interlocked.Exchange(ref _loadedSequence, snapshot.Sequence);
        ForgetUncached();
    }

    /// <summary>Builds the lookup tables and each key's identity (with its own and its team's limits) once per change.</summary>
    private static Snapshot Build(IReadOnlyList<KeyRecord> keys, IReadOnlyList<TeamRecord> teams)
    {
        var teamLimits = new Dictionary<string, LimitSettings?>(StringComparer.Ordinal);
        foreach (var team in teams)
        {
            teamLimits[team.Name] = LimitsOf(team);
        }
        var active = new Dictionary<string, ClientIdentity>(StringComparer.Ordinal);
        var revoked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (key.IsRevoked)
            {
                revoked.Add(key.SecretHash);
                continue;
            }
            active[key.SecretHash] = IdentityOf(key, key.Team is { } team && teamLimits.TryGetValue(team, out var limits) ? limits : null);
        }
        return new Snapshot(active.ToFrozenDictionary(StringComparer.Ordinal), revoked.ToFrozenSet(StringComparer.Ordinal),
            teamLimits.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static ClientIdentity IdentityOf(KeyRecord key, LimitSettings? teamLimits) => new()
    {
        Name = key.Name,
        KeyId = key.Id,
        Team = key.Team,
        AllowedModels = key.Models is { } models ? models.ToFrozenSet(StringComparer.Ordinal) : null,
        Limits = key.Limits.OrNullIfUnlimited,
        TeamLimits = teamLimits,
        ExpiresAt = key.ExpiresAt,
    };

    private static LimitSettings? LimitsOf(TeamRecord team) => team.Limits.OrNullIfUnlimited;

    public void Dispose()
    {
        _stopping.Dispose();
        _reload.Dispose();
        DisposeUncached();
    }

    /// <summary>One loaded state: active keys and revoked hashes by secret hash, and each team's limits by name.</summary>
    private sealed record Snapshot(FrozenDictionary<string, ClientIdentity> Active, FrozenSet<string> Revoked,
        FrozenDictionary<string, LimitSettings?> TeamLimits);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database {Database} unreachable ({Kind}: {Reason}); known keys keep working from the cache, usage is buffered")]
    private static partial void LogDatabaseUnreachable(ILogger logger, string database, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} reachable; keys loaded")]
    private static partial void LogDatabaseReachable(ILogger logger, string database);
}
