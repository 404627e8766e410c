using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Pricing;

/// <summary>
/// The built-in list prices of well-known models (<c>prices.json</c>, embedded in this assembly; its <c>as_of</c>
/// field says when the prices were taken from the providers' public pricing pages). Loaded once; looked up when a
/// runtime is built, never per request.
/// </summary>
public sealed class PriceList
{
    private readonly FrozenDictionary<string, ModelPrice> _byModel;

    private PriceList(FrozenDictionary<string, ModelPrice> byModel, string asOf)
    {
        _byModel = byModel;
        AsOf = asOf;
    }

    /// <summary>The list embedded in the gateway.</summary>
    public static PriceList BuiltIn { get; } = LoadEmbedded();

    /// <summary>The date the built-in prices were checked (ISO-8601).</summary>
    public string AsOf { get; }

    public int Count => _byModel.Count;

    /// <summary>
    /// The list price of an upstream model id. Tried as given (lower-cased), then without a provider prefix
    /// (<c>openai/gpt-4o</c>, <c>models/gemini-2.5-pro</c>), then without a date snapshot suffix
    /// (<c>claude-sonnet-4-5-20250929</c>, <c>gpt-4o-2024-08-06</c>). Null when the model is not listed.
    /// </summary>
    public ModelPrice? Find(string upstreamModel)
    {
        var id = upstreamModel.Trim().ToLowerInvariant();
        if (_byModel.TryGetValue(id, out var price)) return price;
        var slash = id.LastIndexOf('/');
        if (slash >= 0 && slash < id.Length - 1)
        {
            id = id[(slash + 1)..];
            if (_byModel.TryGetValue(id, out price)) return price;
        }
        var undated = WithoutDateSuffix(id);
        return undated != id && _byModel.TryGetValue(undated, out price) ? price : null;
    }

    /// <summary>Strips a trailing <c>-YYYYMMDD</c> or <c>-YYYY-MM-DD</c> snapshot date, and a <c>-latest</c> alias.</summary>
    internal static string WithoutDateSuffix(string id)
    {
        if (id.EndsWith("-latest", StringComparison.Ordinal)) return id[..^"-latest".Length];
        if (id.Length > 9 && id[^9] == '-' && AllDigits(id.AsSpan(id.Length - 8))) return id[..^9];
        if (id.Length > 11 && id[^11] == '-' && AllDigits(id.AsSpan(id.Length - 10, 4)) && id[^6] == '-' && AllDigits(id.AsSpan(id.Length - 5, 2))
            && id[^3] == '-' && AllDigits(id.AsSpan(id.Length - 2)))
        {
            return id[..^11];
        }
        return id;
    }

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    /// <summary>Parses a price list document (the embedded one, or a test's).</summary>
    public static PriceList Parse(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        var asOf = root.GetProperty("as_of").GetString() ?? "";
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (var provider in root.GetProperty("providers").EnumerateObject())
        {
            foreach (var model in provider.Value.EnumerateObject())
            {
                var p = model.Value;
                var price = new ModelPrice(
                    p.GetProperty("input").GetDecimal(),
                    p.TryGetProperty("output", out var output) ? output.GetDecimal() : 0m,
                    p.TryGetProperty("cached_input", out var cached) ? cached.GetDecimal() : null,
                    p.TryGetProperty("cache_write", out var write) ? write.GetDecimal() : null);
                prices[model.Name.ToLowerInvariant()] = price;
                if (p.TryGetProperty("aliases", out var aliases))
                {
                    foreach (var alias in aliases.EnumerateArray()) prices[alias.GetString()!.ToLowerInvariant()] = price;
                }
            }
        }
        return new PriceList(prices.ToFrozenDictionary(StringComparer.Ordinal), asOf);
    }

    private static PriceList LoadEmbedded()
    {
        using var stream = typeof(PriceList).Assembly.GetManifestResourceStream("Switchboard.Pricing.prices.json")
            ?? throw new InvalidOperationException("The built-in price list (prices.json) is missing from the assembly.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Parse(memory.GetBuffer().AsSpan(0, (int)memory.Length));
    }
}
