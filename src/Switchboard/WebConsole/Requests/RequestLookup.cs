using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Switchboard.Storage;
using Switchboard.Storage.Usage;
using Switchboard.Usage;
using Switchboard.WebConsole.Components;

namespace Switchboard.WebConsole.Requests;

/// <summary>Reading the ledger for a console page, which says so (instead of failing) while the database is down.</summary>
public static class RequestLookup
{
    /// <summary>
    /// One request's row for its page, when <paramref name="visible"/> lets this session see it. Otherwise null, and the
    /// response is 404 (no such request, or one the session may not see: the two are indistinguishable) or 503 (the
    /// database cannot be read).
    /// </summary>
    public static async Task<(UsageRecord? Record, bool Unavailable)> FindAsync(UsageQueries usage, HttpContext context, string requestId,
        Func<UsageRecord, bool> visible)
    {
        try
        {
            var found = await usage.FindAsync(requestId, context.RequestAborted);
            if (found is not null && visible(found)) return (found, false);
            ConsolePage.RespondWith(context, StatusCodes.Status404NotFound);
            return (null, false);
        }
        catch (Exception e) when (SwitchboardDatabase.IsUnavailable(e))
        {
            ConsolePage.RespondWith(context, StatusCodes.Status503ServiceUnavailable);
            return (null, true);
        }
    }
}
