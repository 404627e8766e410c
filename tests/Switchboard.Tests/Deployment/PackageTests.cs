using System.IO.Compression;

namespace Switchboard.Tests.Deployment;

/// <summary>
/// The packages a user installs (docs/deployment.md), built from this checkout and started as a user starts them:
/// the .NET tool (<c>switchboard serve</c> from any directory) and the self-contained single file. Slow (a pack and a
/// publish), so everything shares one <see cref="PackageBuild"/>.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackageTests(PackageBuild build, MockUpstreamFixture mock)
    : IClassFixture<PackageBuild>, IClassFixture<MockUpstreamFixture>
{
    private string Config => $$"""
        providers:
          mock: { type: openai, base_url: "{{mock.BaseUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        models:
          gpt-4o-mini:
            - { provider: mock, model: gpt-4o-mini }
        """;

    [Fact]
    public async Task Installed_tool_serves_the_config_of_the_directory_it_runs_in()
    {
        var directory = build.NewDirectory("tool");
        await File.WriteAllTextAsync(Path.Combine(directory, "switchboard.yaml"), Config);

        await using var gateway = await GatewayProcess.StartAsync(build.ToolCommand, [], directory, []);

        await AssertAnswersAsync(gateway);
        Assert.Contains($"(config: {ConfigSourceName})", gateway.Output);
        Assert.True(File.Exists(Path.Combine(directory, "data", "switchboard.db")), "the ledger is ./data/switchboard.db of the working directory");
        // The console's embedded stylesheet and the tokenizer's data travel inside the package.
        using var client = gateway.Client();
        using var css = await client.GetAsync("/ui/assets/console.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains(".facts", await css.Content.ReadAsStringAsync());
        using var count = await client.PostAsync("/v1/messages/count_tokens", Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello there"}]}"""));
        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.Equal("o200k_base", count.Headers.GetValues("x-switchboard-tokenizer").Single());
        Assert.True(JsonDocument.Parse(await count.Content.ReadAsStringAsync()).RootElement.GetProperty("input_tokens").GetInt32() > 0);
        // The container health check: `switchboard health` exits 0 while the gateway is ready.
        var health = await RunAsync(build.ToolCommand, directory, "health", "--port", gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(health.ExitCode == 0, health.Output);
        Assert.Contains("200", health.Output);
    }

    [Fact]
    public async Task Installed_tool_starts_with_built_in_defaults_in_an_empty_directory()
    {
        var directory = build.NewDirectory("empty");

        await using var gateway = await GatewayProcess.StartAsync(build.ToolCommand, [], directory, []);

        Assert.Contains("(config: built-in defaults)", gateway.Output);
        Assert.True(File.Exists(Path.Combine(directory, "data", "switchboard.db")));
    }

    [Fact]
    public void Tool_package_carries_sqlite_for_every_platform_the_single_files_are_built_for()
    {
        var package = Directory.GetFiles(build.Feed, PackageBuild.PackageId + ".*.nupkg").Single();
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToArray();
        foreach (var rid in new[] { "linux-x64", "linux-arm64", "osx-x64", "osx-arm64", "win-x64" })
        {
            Assert.Contains(entries, e => e.StartsWith($"tools/net10.0/any/runtimes/{rid}/native/", StringComparison.Ordinal) && e.Contains("e_sqlite3", StringComparison.Ordinal));
        }
        Assert.Contains("tools/net10.0/any/Microsoft.ML.Tokenizers.Data.O200kBase.dll", entries);
        Assert.Contains("README.md", entries);
    }

    [Fact]
    public async Task Single_file_build_is_one_executable_that_serves()
    {
        Assert.Equal(["switchboard"], Directory.GetFiles(build.SingleFileDirectory).Select(Path.GetFileName));
        var directory = build.NewDirectory("single");
        await File.WriteAllTextAsync(Path.Combine(directory, "switchboard.yaml"), Config);

        // Self-contained: it must not need the machine's .NET (DOTNET_ROOT points nowhere).
        await using var gateway = await GatewayProcess.StartAsync(build.SingleFile, [], directory, [],
            new Dictionary<string, string?> { ["DOTNET_ROOT"] = Path.Combine(directory, "no-dotnet-here") });

        await AssertAnswersAsync(gateway);
        Assert.True(File.Exists(Path.Combine(directory, "data", "switchboard.db")));
        var health = await RunAsync(build.SingleFile, directory, "health", "--port", gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(health.ExitCode == 0, health.Output);
    }

    private const string ConfigSourceName = "switchboard.yaml";

    private static async Task AssertAnswersAsync(GatewayProcess gateway)
    {
        using var client = gateway.Client("sk-anything");
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var chat = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello there"}]}"""));
        var body = await chat.Content.ReadAsStringAsync();
        Assert.True(chat.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("Echo: hello there", JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>
/// The package tests run alone, after the others: a pack and a single-file publish take both cores for a minute, which
/// starved the browser tests running beside them (Chromium page loads past their 30 s timeout).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingCollection
{
    public const string Name = "packaging";
}
