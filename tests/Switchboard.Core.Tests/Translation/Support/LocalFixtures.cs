namespace Switchboard.Core.Tests.Translation.Support;

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
