namespace Switchboard.MockUpstream;

/// <summary>
/// Settings of one mock upstream instance. Every instance keeps its own request log, stats and
/// <c>fail_first</c> counters, so several mocks can run side by side in one test process.
/// </summary>
public sealed class MockUpstreamOptions
{
    /// <summary>The only accepted key: <c>Authorization: Bearer {ApiKey}</c> on OpenAI paths, <c>api-key: {ApiKey}</c> on Azure paths.</summary>
    public string ApiKey { get; set; } = "mock-key";

    /// <summary>
    /// Directory holding <c>openai/</c>, <c>anthropic/</c> and <c>gemini/</c> recordings. Null means auto-detect:
    /// env <c>SWITCHBOARD_FIXTURES</c>, else <c>shared/fixtures</c> found walking up from the current and the base directory.
    /// </summary>
    public string? FixturesDir { get; set; }
}
