namespace Switchboard.Tests.Support;

/// <summary>
/// Finds a request's row in <c>/admin/logs</c>. A request is recorded just after its answer is sent (recording is kept
/// off the client's path), so a client that asks at once may be a moment early: poll briefly.
/// </summary>
public static class AdminLog
{
    public static async Task<JsonElement> RowAsync(GatewayInstance gateway, string requestId)
    {
        using var admin = gateway.Client(TestConfigs.MasterKey);
        for (var attempt = 0; ; attempt++)
        {
            var page = JsonDocument.Parse(await admin.GetStringAsync("/admin/logs?limit=1000")).RootElement;
            foreach (var row in page.GetProperty("data").EnumerateArray())
            {
                if (row.GetProperty("request_id").GetString() == requestId) return row.Clone();
            }
            if (attempt == 50) throw new InvalidOperationException($"request {requestId} was never recorded");
            await Task.Delay(20);
        }
    }
}
