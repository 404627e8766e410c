namespace Switchboard.Tests.Cli;

/// <summary><c>config check</c> and <c>serve</c> refuse bad files with messages naming file, line and key.</summary>
public sealed class ConfigCheckCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Valid_file_is_reported_with_its_counts()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "switchboard.yaml"), """
            providers:
              local: { type: openai, base_url: "http://127.0.0.1:11434/v1" }
            models:
              llama: [{ provider: local, model: llama3 }]
            """);
        var (code, stdout, _) = await CliProcess.RunAsync(_dir, "config", "check");
        Assert.Equal(0, code);
        Assert.Contains("switchboard.yaml: OK", stdout, StringComparison.Ordinal);
        Assert.Contains("1 provider(s), 1 model(s)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_file_lists_every_problem_with_file_line_and_key()
    {
        var path = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(path, """
            providers:
              openai:
                type: openai
                base_url: "not a url"
                api_key: ${SB_TEST_SURELY_UNSET_VAR}
                base_ur: typo
            models:
              gpt:
                - { provider: ghost, model: gpt-4o }
            colour: blue
            """);
        var (code, _, stderr) = await CliProcess.RunAsync(_dir, "config", "check", "--config", path);

        Assert.Equal(1, code);
        Assert.Contains($"{path}:4:", stderr, StringComparison.Ordinal);   // bad URL
        Assert.Contains("providers.openai.base_url", stderr, StringComparison.Ordinal);
        Assert.Contains("SB_TEST_SURELY_UNSET_VAR", stderr, StringComparison.Ordinal);
        Assert.Contains($"{path}:5:", stderr, StringComparison.Ordinal);   // missing env var, with its line
        Assert.Contains($"{path}:6:", stderr, StringComparison.Ordinal);   // unknown key
        Assert.Contains("base_ur", stderr, StringComparison.Ordinal);
        Assert.Contains($"{path}:9:", stderr, StringComparison.Ordinal);   // undefined provider
        Assert.Contains("ghost", stderr, StringComparison.Ordinal);
        Assert.Contains($"{path}:10:", stderr, StringComparison.Ordinal);  // unknown top-level key
    }

    [Fact]
    public async Task Serve_refuses_to_start_on_a_bad_file()
    {
        var path = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(path, "providers:\n  x: { type: nonsense, base_url: \"http://127.0.0.1:1\" }\n");
        var (code, _, stderr) = await CliProcess.RunAsync(_dir, "serve", "--config", path, "--port", "0");
        Assert.Equal(1, code);
        Assert.Contains($"{path}:2:", stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was started", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_config_file_is_an_error_not_a_silent_default()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(_dir, "config", "check", "--config", Path.Combine(_dir, "absent.yaml"));
        Assert.Equal(1, code);
        Assert.Contains("not found", stderr, StringComparison.Ordinal);
    }
}
