using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Storage;
using Switchboard.Storage.Keys;
using Switchboard.Limits;

namespace Switchboard.Admin;

/// <summary>
/// Reads admin request bodies field by field, so that PATCH can tell "absent" from "null" and every bad value gets
/// a 400 naming the field (unknown fields are errors, as in the config file).
/// </summary>
internal sealed class AdminBody
{
    private readonly JsonElement _root;

    private AdminBody(JsonElement root) => _root = root;

    public GatewayError? Error { get; private set; }

    public static async Task<(AdminBody? Body, GatewayError? Error)> ReadAsync(HttpRequest request, IReadOnlyCollection<string> allowed)
    {
        // Read like every other body (bad framing, a body over the limit, invalid UTF-8 and lone surrogate escapes are
        // 400/413 here), not parsed off the socket, where a transport IOException would pass for an unreachable database.
        var (bytes, readError) = await RequestBodyReader.ReadJsonAsync(request, request.HttpContext.RequestAborted);
        if (bytes is null) return (null, readError);
        using var ownedBytes = bytes; // the document reads from this buffer until its root is cloned below
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes.Memory);
        }
        catch (JsonException e)
        {
            return (null, GatewayError.InvalidRequest($"The request body is not valid JSON: {e.Message}"));
        }
        using (document)
        {
            var root = document.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object) return (null, GatewayError.InvalidRequest("The request body must be a JSON object."));
            var set = new HashSet<string>(allowed, StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!set.Contains(property.Name))
                {
                    return (null, GatewayError.InvalidRequest(
                        $"Unknown field '{property.Name}' (allowed: {string.Join(", ", allowed)}).", property.Name));
                }
            }
            return (new AdminBody(root), null);
        }
    }

    private Optional<T> Fail<T>(string name, string message)
    {
        Error ??= GatewayError.InvalidRequest($"'{name}': {message}", name);
        return default;
    }

    public Optional<string?> Text(string name, bool allowNull = true)
    {
        if (!_root.TryGetProperty(name, out var value)) return default;
        if (value.ValueKind == JsonValueKind.Null) return allowNull ? Optional.Of<string?>(null) : Fail<string?>(name, "must not be null");
        if (value.ValueKind != JsonValueKind.String) return Fail<string?>(name, "expected a string");
        // No unpaired-surrogate escape gets here: RequestBodyReader refuses the body first (JsonTextCheck).
        var text = value.GetString()!.Trim();
        return AdminFieldRules.TextProblem(text) is { } problem ? Fail<string?>(name, problem) : Optional.Of<string?>(text);
    }

    /// <summary>A 400 for a name given in the path (e.g. <c>/admin/teams/{name}</c>) that no stored name could be; else null.</summary>
    public static GatewayError? CheckName(string name, string field) =>
        StoredText.IsValidName(name) ? null : GatewayError.InvalidRequest($"'{field}': {AdminFieldRules.NameRule}", field);

    public Optional<int?> PositiveInt(string name)
    {
        if (!_root.TryGetProperty(name, out var value)) return default;
        if (value.ValueKind == JsonValueKind.Null) return Optional.Of<int?>(null);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || !AdminFieldRules.IsValidLimit(n))
        {
            return Fail<int?>(name, "expected a positive whole number or null");
        }
        return Optional.Of<int?>(n);
    }

    public Optional<decimal?> NonNegativeDecimal(string name)
    {
        if (!_root.TryGetProperty(name, out var value)) return default;
        if (value.ValueKind == JsonValueKind.Null) return Optional.Of<decimal?>(null);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var d) || !AdminFieldRules.IsValidBudget(d))
        {
            return Fail<decimal?>(name, "expected a number of USD >= 0, or null");
        }
        return Optional.Of<decimal?>(d);
    }

    /// <summary>The limit fields (<c>rpm</c>, <c>tpm</c>, <c>max_parallel</c>, <c>budget_usd</c>, <c>budget_period</c>), each set or not.</summary>
    public LimitPatch Limits() =>
        new(PositiveInt("rpm"), PositiveInt("tpm"), PositiveInt("max_parallel"), NonNegativeDecimal("budget_usd"), BudgetPeriod("budget_period"));

    public Optional<BudgetPeriod> BudgetPeriod(string name)
    {
        var text = Text(name);
        if (!text.IsSet) return default;
        if (!BudgetPeriods.TryParse(text.Value, out var period))
        {
            return Fail<BudgetPeriod>(name, "expected \"daily\", \"monthly\" or null");
        }
        return Optional.Of(period);
    }

    public Optional<DateTimeOffset?> Time(string name)
    {
        if (!_root.TryGetProperty(name, out var value)) return default;
        if (value.ValueKind == JsonValueKind.Null) return Optional.Of<DateTimeOffset?>(null);
        if (value.ValueKind == JsonValueKind.String && AdminFieldRules.TryParseTime(value.GetString(), out var t))
        {
            return Optional.Of<DateTimeOffset?>(t);
        }
        return Fail<DateTimeOffset?>(name, "expected an ISO-8601 time such as 2026-12-31T23:59:00Z, or null");
    }

    public Optional<ImmutableArray<string>?> Models(string name, Func<string, bool> exists)
    {
        if (!_root.TryGetProperty(name, out var value)) return default;
        if (value.ValueKind == JsonValueKind.Null) return Optional.Of<ImmutableArray<string>?>(null);
        if (value.ValueKind != JsonValueKind.Array) return Fail<ImmutableArray<string>?>(name, "expected a list of model names, or null for every model");
        var names = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } model)
            {
                return Fail<ImmutableArray<string>?>(name, "expected a list of model names");
            }
            if (!exists(model)) return Fail<ImmutableArray<string>?>(name, $"unknown model '{model}'");
            names.Add(model);
        }
        return Optional.Of<ImmutableArray<string>?>(AdminFieldRules.DistinctModels(names, exists, out _));
    }
}
