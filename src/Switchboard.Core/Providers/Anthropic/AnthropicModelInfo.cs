namespace Switchboard.Providers.Anthropic;

/// <summary>
/// What the request writer needs to know about a Claude model, from its id alone: its output-token limit
/// (the default <c>max_tokens</c>, which Anthropic requires), and how it takes thinking and sampling.
/// </summary>
/// <remarks>
/// Ids are read in both spellings Anthropic has used, <c>claude-3-5-sonnet-20241022</c> and
/// <c>claude-sonnet-4-5-20250929</c> (dates, <c>-latest</c> and cloud prefixes/suffixes such as
/// <c>anthropic.</c>, <c>@20250514</c> or <c>-v1:0</c> are ignored).
/// <list type="table">
/// <listheader><term>model</term><description>default <c>max_tokens</c> (= its output limit)</description></listheader>
/// <item><term>Claude 3 Opus/Sonnet/Haiku</term><description>4096</description></item>
/// <item><term>Claude 3.5 Sonnet/Haiku</term><description>8192</description></item>
/// <item><term>Claude 3.7 Sonnet</term><description>64000</description></item>
/// <item><term>Claude Opus 4, Opus 4.1</term><description>32000</description></item>
/// <item><term>every later Claude 4+ model (Sonnet 4/4.5/4.6, Haiku 4.5, Opus 4.5+)</term><description>64000</description></item>
/// <item><term>anything else</term><description>4096</description></item>
/// </list>
/// The default is the model's limit because a client that leaves the cap out (OpenAI's
/// <c>max_completion_tokens</c> is optional) expects no truncation short of it.
/// </remarks>
public readonly record struct AnthropicModelInfo(string Family, int Major, int Minor)
{
    /// <summary>Used when the model id says nothing we recognise.</summary>
    public const int FallbackMaxTokens = 4096;

    /// <summary>Reads a model id; unrecognised ids give family <c>""</c> and version 0.0.</summary>
    public static AnthropicModelInfo Parse(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return default;
        }
        var family = "";
        var numbers = new List<int>(2);
        foreach (var token in model.ToLowerInvariant().Split(['-', '.', '@', ':', '/', '_']))
        {
            if (token is "opus" or "sonnet" or "haiku")
            {
                family = token;
            }
            else if (token.Length is 1 or 2 && int.TryParse(token, out var number) && numbers.Count < 2)
            {
                // Versions are one or two digits; dates (8 digits) and cloud suffixes (v1, 0) are not versions,
                // except a lone "0" after a version ("-v1:0"), which the family check below makes harmless.
                numbers.Add(number);
            }
            else if (numbers.Count > 0 && family.Length > 0)
            {
                break;
            }
        }
        if (family.Length == 0 || numbers.Count == 0)
        {
            return new AnthropicModelInfo(family, 0, 0);
        }
        return new AnthropicModelInfo(family, numbers[0], numbers.Count > 1 ? numbers[1] : 0);
    }

    /// <summary>The default (and maximum) <c>max_tokens</c> for <paramref name="model"/>; see the table above.</summary>
    public static int DefaultMaxTokens(string? model) => Parse(model).MaxOutputTokens;

    /// <summary>True when the id was recognised as a Claude model with a version.</summary>
    public bool IsKnown => Family.Length > 0 && Major > 0;

    /// <summary>The model's output limit per the table above.</summary>
    public int MaxOutputTokens => (Major, Minor) switch
    {
        (0, _) => FallbackMaxTokens,
        (3, < 5) => 4096,
        (3, < 7) => 8192,
        (3, _) => 64000,
        (4, < 2) when Family == "opus" => 32000,
        _ => 64000,
    };

    /// <summary>Extended thinking with <c>budget_tokens</c> exists from Claude 3.7 on.</summary>
    public bool SupportsThinking => IsAtLeast(3, 7);

    /// <summary>From Claude 4.6 on thinking is <c>{"type":"adaptive"}</c> steered by
    /// <c>output_config.effort</c> (Opus 4.7 refuses budgets altogether).</summary>
    public bool UsesAdaptiveThinking => IsAtLeast(4, 6);

    /// <summary>From Opus 4.1 on, Anthropic refuses requests that set both <c>temperature</c> and <c>top_p</c>.</summary>
    public bool RejectsTemperatureWithTopP => IsAtLeast(4, 1);

    /// <summary><c>output_config.effort: "max"</c> is Opus-only.</summary>
    public bool SupportsMaxEffort => Family == "opus" && UsesAdaptiveThinking;

    private bool IsAtLeast(int major, int minor) => IsKnown && (Major > major || (Major == major && Minor >= minor));
}
