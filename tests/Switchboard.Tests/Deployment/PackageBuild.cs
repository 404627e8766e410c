using System.Runtime.InteropServices;

namespace Switchboard.Tests.Deployment;

/// <summary>
/// Builds the two packages a user downloads, once per test class, from this checkout into a private temp directory
/// (nothing is written into the source tree): the .NET tool package (<c>dotnet pack</c>), installed from it with
/// <c>dotnet tool install --tool-path</c>, and the self-contained single file for this machine's platform
/// (<c>tools/publish.sh</c>).
/// </summary>
public sealed class PackageBuild : IAsyncLifetime
{
    public const string PackageId = "Switchboard.Gateway";

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sb-pkg-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The checkout the tests run from (the directory holding Switchboard.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The folder the tool package was packed into (a local NuGet feed).</summary>
    public string Feed => Path.Combine(_root, "feed");

    /// <summary>The installed tool's command (<c>switchboard</c>), as <c>dotnet tool install --tool-path</c> made it.</summary>
    public string ToolCommand => Path.Combine(_root, "tools", "switchboard");

    /// <summary>The folder tools/publish.sh wrote this platform's single file into.</summary>
    public string SingleFileDirectory => Path.Combine(_root, "publish", RuntimeInformation.RuntimeIdentifier);

    public string SingleFile => Path.Combine(SingleFileDirectory, "switchboard");

    /// <summary>A fresh empty directory under this build's temp root (the tests' working directories).</summary>
    public string NewDirectory(string name)
    {
        var path = Path.Combine(_root, "run", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var project = Path.Combine(RepositoryRoot, "src", "Switchboard", "Switchboard.csproj");
        // The tool package is packed from the build these tests run against (no second compile); its publish layout
        // and nuspec go to the temp directory (only MSBuild's caches are touched under artifacts/obj).
        await RunAsync("dotnet", ["pack", project, "-c", Configuration, "--no-build", "-o", Feed, "-nologo", "-v", "quiet", "-clp:ErrorsOnly",
            $"-p:PublishDir={Path.Combine(_root, "toolpublish")}/", $"-p:NuspecOutputPath={Path.Combine(_root, "nuspec")}/"]);
        // Installed from the local feed only, through a package cache of its own, so a stale copy of the same version
        // in the user's cache can never stand in for what was just packed.
        var nugetConfig = Path.Combine(_root, "nuget.config");
        await File.WriteAllTextAsync(nugetConfig, $"""
            <configuration>
              <packageSources><clear /><add key="local" value="{Feed}" /></packageSources>
            </configuration>
            """);
        await RunAsync("dotnet", ["tool", "install", PackageId, "--tool-path", Path.Combine(_root, "tools"), "--configfile", nugetConfig],
            new() { ["NUGET_PACKAGES"] = Path.Combine(_root, "nuget-cache") });
        // The single file needs a build of its own for the platform: into a private artifacts tree, without
        // ReadyToRun (the same executable, only slower to start; it keeps this build about a minute shorter).
        await RunAsync("bash", [Path.Combine(RepositoryRoot, "tools", "publish.sh"), RuntimeInformation.RuntimeIdentifier], new()
        {
            ["SB_PUBLISH_DIR"] = Path.Combine(_root, "publish"),
            ["SB_ARTIFACTS_PATH"] = Path.Combine(_root, "artifacts"),
            ["SB_PUBLISH_R2R"] = "false",
        });
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a dying process: the temp directory is left to the OS
        }
        return Task.CompletedTask;
    }

    /// <summary>Runs a build step to the end; a failure throws with everything the step printed.</summary>
    private async Task RunAsync(string program, string[] args, Dictionary<string, string>? environment = null)
    {
        var log = Path.Combine(_root, "step.log");
        var start = new ProcessStartInfo("bash") { WorkingDirectory = _root, RedirectStandardInput = true };
        // Output goes to a file, not to pipes: a build server that outlived the step would hold a pipe open forever.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("\"$@\" >\"$SB_STEP_LOG\" 2>&1");
        start.ArgumentList.Add("step");
        start.ArgumentList.Add(program);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["SB_STEP_LOG"] = log;
        // No build servers left running after the step (MSBuild nodes, the compiler server).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 15 minutes:\n{await File.ReadAllTextAsync(log)}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{await File.ReadAllTextAsync(log)}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Switchboard.slnx above {AppContext.BaseDirectory}");
    }
}
