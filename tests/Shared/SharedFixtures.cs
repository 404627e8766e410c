namespace Switchboard.Testing;

/// <summary>
/// Locates ../shared/fixtures (real recorded provider traffic, read in place and never copied into the repo) by
/// walking up from the test binaries and the working directory; SWITCHBOARD_SHARED_FIXTURES overrides.
/// Tests that need it use <see cref="SharedFixtureFactAttribute"/>, which skips them with a clear reason when absent.
/// </summary>
public static class SharedFixtures
{
    public static string? Directory { get; } = Find();

    public static string SkipReason =>
        $"{Path.Combine("…", "shared", "fixtures")} not found above {AppContext.BaseDirectory}: golden test over recorded provider streams skipped";

    public static string PathOf(string relative) =>
        Path.Combine(Directory ?? throw new InvalidOperationException(SkipReason), relative);

    /// <summary>File names (no folder) of the recorded OpenAI Chat Completions streams.</summary>
    public static IEnumerable<object[]> OpenAIStreams()
    {
        if (Directory is null) return [];
        return System.IO.Directory.GetFiles(Path.Combine(Directory, "openai"), "*.sse")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name! });
    }

    private static string? Find()
    {
        var overridden = Environment.GetEnvironmentVariable("SWITCHBOARD_SHARED_FIXTURES");
        if (!string.IsNullOrEmpty(overridden)) return System.IO.Directory.Exists(overridden) ? overridden : null;
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
                if (System.IO.Directory.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}

/// <summary>A fact that is reported as skipped, with the reason, when ../shared/fixtures is not present.
/// (xunit 2 has no dynamic skip, so the decision is made at discovery.)</summary>
public sealed class SharedFixtureFactAttribute : FactAttribute
{
    public SharedFixtureFactAttribute()
    {
        if (SharedFixtures.Directory is null) Skip = SharedFixtures.SkipReason;
    }
}

/// <summary>Theory variant of <see cref="SharedFixtureFactAttribute"/>.</summary>
public sealed class SharedFixtureTheoryAttribute : TheoryAttribute
{
    public SharedFixtureTheoryAttribute()
    {
        if (SharedFixtures.Directory is null) Skip = SharedFixtures.SkipReason;
    }
}
