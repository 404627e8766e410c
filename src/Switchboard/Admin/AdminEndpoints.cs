using System.Globalization;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Storage;
using Switchboard.Storage.Keys;
using Switchboard.Storage.Usage;
using Switchboard.Limits;

namespace Switchboard.Admin;

/// <summary>
/// <c>/admin/keys</c>, <c>/admin/teams</c> and <c>/admin/usage</c> (CONTRACT §4), master key only. Writes go to the
/// database and refresh this process's key cache before answering; other processes follow within a poll.
/// </summary>
public static class AdminEndpoints
{
    private static readonly string[] KeyCreateFields = ["name", "team", "models", "rpm", "tpm", "max_parallel", "budget_usd", "budget_period", "expires_at"];
    private static readonly string[] TeamFields = ["name", "rpm", "tpm", "max_parallel", "budget_usd", "budget_period"];

    public static void MapAdminEndpoints(this WebApplication app)
    {
        app.MapPost("/admin/keys", CreateKey);
        app.MapGet("/admin/keys", ListKeys);
        app.MapGet("/admin/keys/{id}", GetKey);
        app.MapMethods("/admin/keys/{id}", ["PATCH"], PatchKey);
        app.MapDelete("/admin/keys/{id}", RevokeKey);
        app.MapPost("/admin/teams", PutTeam);
        app.MapGet("/admin/teams", ListTeams);
        app.MapGet("/admin/teams/{name}", GetTeam);
        app.MapMethods("/admin/teams/{name}", ["PATCH", "PUT"], PutTeam);
        app.MapDelete("/admin/teams/{name}", DeleteTeam);
        app.MapGet("/admin/usage", Usage);
    }

    /// <summary>Null when the caller holds the master key; else the 401 to send.</summary>
    public static GatewayError? Authorize(HttpContext context, RuntimeHolder runtimes)
    {
        if (ClientAuthenticator.IsMasterKey(context.Request, runtimes.Current)) return null;
        return GatewayError.InvalidApiKey(string.IsNullOrEmpty(runtimes.Current.Config.MasterKey)
            ? "The admin API is disabled: set master_key in the config."
            : "The admin API needs the master key.");
    }

    private static Task Fail(HttpContext context, GatewayError error) => ErrorResponses.WriteOpenAIAsync(context.Response, error);

    private static Task Unavailable(HttpContext context) => Fail(context, new GatewayError(503, "server_error", "database_unavailable",
        "The database is unreachable right now; try again shortly (traffic for known keys is unaffected).", ErrorDisposition.Gateway));

    /// <summary>Runs an admin action, turning an unreachable database into a 503 instead of a 500.</summary>
    private static async Task Guard(HttpContext context, RuntimeHolder runtimes, Func<Task> action)
    {
        if (Authorize(context, runtimes) is { } denied)
        {
            await Fail(context, denied);
            return;
        }
        try
        {
            await action();
        }
        catch (Exception e) when (SwitchboardDatabase.IsUnavailable(e))
        {
            if (!context.Response.HasStarted) await Unavailable(context);
        }
    }

    // ---- keys --------------------------------------------------------------------------------------------------

    private static Task CreateKey(HttpContext context, RuntimeHolder runtimes, KeyAdministration admin, TimeProvider time) =>
        Guard(context, runtimes, async () =>
        {
            var (body, error) = await AdminBody.ReadAsync(context.Request, KeyCreateFields);
            if (body is null) { await Fail(context, error!); return; }
            var name = body.Text("name", allowNull: false);
            var spec = new KeySpec
            {
                Name = name.Value ?? "",
                Team = body.Text("team").Value,
                Models = body.Models("models", runtimes.Current.Models.ContainsKey).Value,
                Limits = body.Limits().ApplyTo(LimitSettings.None),
                ExpiresAt = body.Time("expires_at").Value,
            };
            if (body.Error is null && !name.IsSet) await Fail(context, GatewayError.InvalidRequest("'name' is required.", "name"));
            else if (body.Error is { } bad) await Fail(context, bad);
            else
            {
                var created = await admin.CreateKeyAsync(spec, context.RequestAborted);
                context.Response.StatusCode = StatusCodes.Status201Created;
                await context.Response.WriteAsJsonAsync(View(created.Key, time) with { Key = created.Secret }, AdminJsonContext.Default.AdminKey);
            }
        });

    private static Task ListKeys(HttpContext context, RuntimeHolder runtimes, KeyRepository keys, TimeProvider time) =>
        Guard(context, runtimes, async () =>
        {
            var all = await keys.ListAsync(context.RequestAborted);
            await context.Response.WriteAsJsonAsync(new AdminList<AdminKey>("list", [.. all.Select(k => View(k, time))]),
                AdminJsonContext.Default.AdminListAdminKey);
        });

    private static Task GetKey(HttpContext context, string id, RuntimeHolder runtimes, KeyAdministration admin, TimeProvider time) =>
        Guard(context, runtimes, async () =>
        {
            var key = await admin.Keys.GetAsync(id, context.RequestAborted);
            if (key is null) { await Fail(context, NoSuchKey(id)); return; }
            await admin.FlushLedgerAsync(context.RequestAborted);
            var spend = await admin.SpendAsync(LimitScope.Key, key.Id, key.Limits, context.RequestAborted);
            await context.Response.WriteAsJsonAsync(View(key, time) with { SpendUsd = spend.Spent, SpendSince = spend.Since }, AdminJsonContext.Default.AdminKey);
        });

    private static Task PatchKey(HttpContext context, string id, RuntimeHolder runtimes, KeyAdministration admin, TimeProvider time) =>
        Guard(context, runtimes, async () =>
        {
            var (body, error) = await AdminBody.ReadAsync(context.Request, KeyCreateFields);
            if (body is null) { await Fail(context, error!); return; }
            var patch = new KeyPatch
            {
                Name = body.Text("name", allowNull: false) is { IsSet: true } n ? Optional.Of(n.Value!) : default,
                Team = body.Text("team"),
                Models = body.Models("models", runtimes.Current.Models.ContainsKey),
                Limits = body.Limits(),
                ExpiresAt = body.Time("expires_at"),
            };
            if (body.Error is { } bad) { await Fail(context, bad); return; }
            var updated = await admin.UpdateKeyAsync(id, patch, context.RequestAborted);
            if (updated is null) { await Fail(context, NoSuchKey(id)); return; }
            await context.Response.WriteAsJsonAsync(View(updated, time), AdminJsonContext.Default.AdminKey);
        });

    private static Task RevokeKey(HttpContext context, string id, RuntimeHolder runtimes, KeyAdministration admin, TimeProvider time) =>
        Guard(context, runtimes, async () =>
        {
            if (await admin.RevokeKeyAsync(id, context.RequestAborted) is not { } key) { await Fail(context, NoSuchKey(id)); return; }
            await context.Response.WriteAsJsonAsync(View(key, time), AdminJsonContext.Default.AdminKey);
        });

    private static GatewayError NoSuchKey(string id) => GatewayError.NotFound($"No key with id '{id}'.");

    internal static AdminKey View(KeyRecord k, TimeProvider time) => new(
        k.Id, "key", k.Name, k.SecretPrefix, k.Team, k.Models is { } m ? [.. m] : null, k.Limits.Rpm, k.Limits.Tpm, k.Limits.MaxParallel,
        k.Limits.BudgetUsd, k.Limits.BudgetPeriod.Name(), k.ExpiresAt, k.RevokedAt, k.CreatedAt,
        KeyAdministration.Status(k, time.GetUtcNow()), k.Source);

    // ---- teams -------------------------------------------------------------------------------------------------

    private static Task PutTeam(HttpContext context, RuntimeHolder runtimes, KeyRepository keys, KeyAdministration admin) =>
        Guard(context, runtimes, async () =>
        {
            var routeName = context.Request.RouteValues["name"] as string;
            if (routeName is not null && AdminBody.CheckName(routeName, "name") is { } badName) { await Fail(context, badName); return; }
            var (body, error) = await AdminBody.ReadAsync(context.Request, TeamFields);
            if (body is null) { await Fail(context, error!); return; }
            var name = routeName ?? body.Text("name", allowNull: false).Value;
            var existing = name is null ? null : await keys.GetTeamAsync(name, context.RequestAborted);
            if (routeName is not null && existing is null && context.Request.Method == "PATCH")
            {
                await Fail(context, GatewayError.NotFound($"No team named '{routeName}'."));
                return;
            }
            // PATCH changes the fields it names; POST and PUT set the whole team (absent fields = no limit).
            var basis = context.Request.Method == "PATCH" ? existing! : new TeamRecord { Name = name ?? "" };
            var team = basis with
            {
                Name = name ?? "",
                Limits = body.Limits().ApplyTo(basis.Limits),
                Source = RecordSource.Api,
            };
            if (body.Error is { } bad) { await Fail(context, bad); return; }
            if (name is null) { await Fail(context, GatewayError.InvalidRequest("'name' is required.", "name")); return; }
            var stored = await admin.PutTeamAsync(team, context.RequestAborted);
            if (existing is null) context.Response.StatusCode = StatusCodes.Status201Created;
            await context.Response.WriteAsJsonAsync(View(stored), AdminJsonContext.Default.AdminTeam);
        });

    private static Task ListTeams(HttpContext context, RuntimeHolder runtimes, KeyRepository keys) =>
        Guard(context, runtimes, async () =>
        {
            var teams = await keys.ListTeamsAsync(context.RequestAborted);
            await context.Response.WriteAsJsonAsync(new AdminList<AdminTeam>("list", [.. teams.Select(View)]), AdminJsonContext.Default.AdminListAdminTeam);
        });

    private static Task GetTeam(HttpContext context, string name, RuntimeHolder runtimes, KeyRepository keys) =>
        Guard(context, runtimes, async () =>
        {
            if (await keys.GetTeamAsync(name, context.RequestAborted) is not { } team)
            {
                await Fail(context, GatewayError.NotFound($"No team named '{name}'."));
                return;
            }
            await context.Response.WriteAsJsonAsync(View(team), AdminJsonContext.Default.AdminTeam);
        });

    private static Task DeleteTeam(HttpContext context, string name, RuntimeHolder runtimes, KeyRepository keys, KeyAdministration admin) =>
        Guard(context, runtimes, async () =>
        {
            if (await keys.GetTeamAsync(name, context.RequestAborted) is not { } team || !await admin.DeleteTeamAsync(name, context.RequestAborted))
            {
                await Fail(context, GatewayError.NotFound($"No team named '{name}'."));
                return;
            }
            await context.Response.WriteAsJsonAsync(View(team), AdminJsonContext.Default.AdminTeam);
        });

    private static AdminTeam View(TeamRecord t) =>
        new(t.Name, "team", t.Limits.Rpm, t.Limits.Tpm, t.Limits.MaxParallel, t.Limits.BudgetUsd, t.Limits.BudgetPeriod.Name(), t.Source, t.UpdatedAt);

    // ---- usage -------------------------------------------------------------------------------------------------

    private static Task Usage(HttpContext context, RuntimeHolder runtimes, UsageQueries usage, LedgerWriter ledger) =>
        Guard(context, runtimes, async () =>
        {
            var (filter, error) = ReadFilter(context.Request);
            if (filter is null) { await Fail(context, error!); return; }
            var groupBy = context.Request.Query["group_by"].ToString();
            UsageGrouping? grouping = groupBy switch
            {
                "" => null,
                "key" => UsageGrouping.Key,
                "team" => UsageGrouping.Team,
                "model" => UsageGrouping.Model,
                "provider" => UsageGrouping.Provider,
                "day" => UsageGrouping.Day,
                _ => (UsageGrouping)(-1),
            };
            if (grouping == (UsageGrouping)(-1))
            {
                await Fail(context, GatewayError.InvalidRequest("'group_by' must be one of key, team, model, provider, day.", "group_by"));
                return;
            }
            await ledger.FlushAsync(TimeSpan.FromSeconds(2), context.RequestAborted);
            var total = ToJson(await usage.TotalsAsync(filter, context.RequestAborted));
            if (grouping is not { } g)
            {
                await context.Response.WriteAsJsonAsync(total, AdminJsonContext.Default.AdminUsage);
                return;
            }
            var groups = await usage.GroupsAsync(filter, g, context.RequestAborted);
            await context.Response.WriteAsJsonAsync(new AdminUsageGroups("usage", groupBy,
                [.. groups.Select(x => ToJson(x.Totals) with { Group = x.Group ?? "", Name = x.Label })], total),
                AdminJsonContext.Default.AdminUsageGroups);
        });

    private static AdminUsage ToJson(UsageTotals t) => new(t.Requests, t.PromptTokens, t.CompletionTokens, t.CachedTokens,
        t.ReasoningTokens, t.PromptTokens + t.CompletionTokens, t.CostUsd, t.UnpricedRequests, t.FailedRequests, t.EstimatedRequests);

    /// <summary>Query filters shared by /admin/usage and /admin/logs; a bad value is a 400 naming the parameter.</summary>
    internal static (UsageFilter? Filter, GatewayError? Error) ReadFilter(HttpRequest request)
    {
        var q = request.Query;
        static string? Opt(string value) => value.Length == 0 ? null : value;
        DateTimeOffset? from = null, to = null;
        foreach (var (name, assign) in new (string, Action<DateTimeOffset>)[] { ("from", v => from = v), ("to", v => to = v) })
        {
            var text = q[name].ToString();
            if (text.Length == 0) continue;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            {
                return (null, GatewayError.InvalidRequest($"'{name}' must be an ISO-8601 date or time (e.g. 2026-11-01 or 2026-11-01T12:00:00Z).", name));
            }
            assign(t);
        }
        int? status = null;
        if (q["status"].ToString() is { Length: > 0 } s)
        {
            if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 599)
            {
                return (null, GatewayError.InvalidRequest("'status' must be an HTTP status code.", "status"));
            }
            status = code;
        }
        return (new UsageFilter
        {
            KeyId = Opt(q["key_id"].ToString()),
            KeyName = Opt(q["key_name"].ToString()),
            Model = Opt(q["model"].ToString()),
            Team = Opt(q["team"].ToString()),
            Provider = Opt(q["provider"].ToString()),
            Status = status,
            ClientRequestId = Opt(q["client_request_id"].ToString()),
            From = from,
            To = to,
        }, null);
    }
}
