namespace Switchboard.Translation.Tests.Support;

/// <summary>
/// Finds the recorded provider traffic in <c>shared/fixtures</c>, which lives next to the repository
/// (never inside it), by walking up from the test binaries. SWITCHBOARD_SHARED_FIXTURES overrides.
/// </summary>
public static class SharedFixtures
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The <c>shared/fixtures</c> folder, or null when this checkout has none beside it.</summary>
    public static string? Directory => Root.Value;

    public static string SkipReason =>
        $"{Path.Combine("…", "shared", "fixtures")} not found above {AppContext.BaseDirectory}: golden test skipped";

    public static string PathOf(string relative) =>
        Path.Combine(Directory ?? throw new InvalidOperationException(SkipReason), relative);

    /// <summary>File names (no folder) of the recorded OpenAI Chat Completions streams.</summary>
    public static IEnumerable<object[]> OpenAIStreams()
    {
        if (Directory is null)
        {
            return [];
        }
        return System.IO.Directory.GetFiles(Path.Combine(Directory, "openai"), "*.sse")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name! });
    }

    private static string? Locate()
    {
        var overridden = Environment.GetEnvironmentVariable("SWITCHBOARD_SHARED_FIXTURES");
        if (!string.IsNullOrEmpty(overridden))
        {
            return System.IO.Directory.Exists(overridden) ? overridden : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (System.IO.Directory.Exists(Path.Combine(candidate, "openai")))
            {
                return candidate;
            }
        }
        return null;
    }
}

/// <summary>A fact over the recorded fixtures: skipped, with the reason, where they are absent.
/// (xunit 2 has no dynamic skip, so the decision is made at discovery.)</summary>
public sealed class SharedFixtureFactAttribute : FactAttribute
{
    public SharedFixtureFactAttribute()
    {
        if (SharedFixtures.Directory is null)
        {
            Skip = SharedFixtures.SkipReason;
        }
    }
}

/// <summary>A theory over the recorded fixtures: skipped, with the reason, where they are absent.</summary>
public sealed class SharedFixtureTheoryAttribute : TheoryAttribute
{
    public SharedFixtureTheoryAttribute()
    {
        if (SharedFixtures.Directory is null)
        {
            Skip = SharedFixtures.SkipReason;
        }
    }
}

/// <summary>The self-written fixtures copied next to the test binaries.</summary>
public static class LocalFixtures
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    public static IEnumerable<object[]> Files(string folder, string pattern) =>
        System.IO.Directory.GetFiles(PathOf(folder), pattern)
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { $"{folder}/{name}" });
}
