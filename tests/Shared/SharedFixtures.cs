namespace Switchboard.Testing;

/// <summary>
/// Locates ../shared/fixtures (real recorded provider traffic, read in place and never copied into the repo).
/// Tests that need it use <see cref="SharedFixtureFactAttribute"/>, which skips them with a clear reason when absent.
/// </summary>
public static class SharedFixtures
{
    public static string? Directory { get; } = Find();

    private static string? Find()
    {
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

/// <summary>A fact that is reported as skipped, with the reason, when ../shared/fixtures is not present.</summary>
public sealed class SharedFixtureFactAttribute : FactAttribute
{
    public SharedFixtureFactAttribute()
    {
        if (SharedFixtures.Directory is null) Skip = "../shared/fixtures not found: golden test over recorded provider streams skipped";
    }
}

/// <summary>Theory variant of <see cref="SharedFixtureFactAttribute"/>.</summary>
public sealed class SharedFixtureTheoryAttribute : TheoryAttribute
{
    public SharedFixtureTheoryAttribute()
    {
        if (SharedFixtures.Directory is null) Skip = "../shared/fixtures not found: golden test over recorded provider streams skipped";
    }
}
