using Microsoft.Playwright;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// One headless Chromium for every console test (Debian's <c>chromium</c>, driven by Playwright with its executable
/// path: no browser download). <c>./test.sh</c> installs the package; without it these tests fail and say so.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Where Chromium is looked for: <c>SWITCHBOARD_CHROMIUM</c>, else Debian's path.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("SWITCHBOARD_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}: install Debian's chromium package (./test.sh does) or set SWITCHBOARD_CHROMIUM.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // No sandbox (CI runs as root); no background traffic (the machine has no network beyond loopback).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser profile (own cookies) on <paramref name="baseUrl"/>, at a laptop's width unless told.</summary>
    public Task<IBrowserContext> NewContextAsync(string baseUrl, int width = 1366, int height = 900) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = width, Height = height } });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<MockUpstreamFixture>
{
    public const string Name = "chromium";
}
