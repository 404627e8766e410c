using System.Collections;
using System.Runtime.InteropServices;

namespace Switchboard.Hosting;

/// <summary>
/// Gives <c>serve</c> a 32 MiB gen0 allocation budget. With background GC on (needed for long streams, see the
/// csproj) the runtime caps gen0 at a few MiB: under load that is dozens of gen0 collections a second, each one
/// promoting the ledger rows still waiting for their batch.
/// The budget can only be set through the environment (<c>DOTNET_GCgen0size</c>: the GC reads it before any managed
/// code runs and has no runtimeconfig.json name for it), so on Linux <c>serve</c> replaces its own process image
/// once, at start, with the same program, arguments and environment plus that variable (same PID, same stdio).
/// An operator's own <c>DOTNET_GCgen0size</c> (any value, <c>0</c> = the runtime's default)
/// wins and nothing is restarted.
/// </summary>
public static partial class Gen0Budget
{
    /// <summary>The runtime's variable for the smallest gen0 budget.</summary>
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>32 MiB, in the hexadecimal the runtime expects.</summary>
    public const string Value = "0x2000000";

    /// <summary>
    /// For <c>serve</c> on Linux without the variable set: restarts the process image with it (does not return on
    /// success). Anything else, or any failure, returns and the gateway runs with the runtime's default budget.
    /// </summary>
    public static void EnsureForServe(string[] args)
    {
        if (!OperatingSystem.IsLinux() || args.Length == 0 || args[0] != "serve") return;
        if (Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable("COMPlus_GCgen0size") is not null) return;
        string[] argv;
        try
        {
            // The command line as the kernel has it: the host (dotnet or the app host) and every argument, so the
            // restarted image is started exactly as this one was.
            var cmdline = File.ReadAllText("/proc/self/cmdline");
            argv = cmdline.TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }
        if (argv.Length == 0 || argv[0].Length == 0) return;

        var environment = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables()) environment.Add($"{entry.Key}={entry.Value}");
        environment.Add($"{Variable}={Value}");

        RemoveOwnDiagnosticSocket();
        var argvPointers = ToNativeArray(argv);
        var envPointers = ToNativeArray(environment);
        try
        {
            Execve("/proc/self/exe", argvPointers, envPointers); // returns only when it failed
        }
        finally
        {
            foreach (var pointer in argvPointers) Marshal.FreeCoTaskMem(pointer);
            foreach (var pointer in envPointers) Marshal.FreeCoTaskMem(pointer);
        }
    }

    /// <summary>
    /// The runtime of this first image already listens on <c>$TMPDIR/dotnet-diagnostic-{pid}-{start time}-socket</c>
    /// for dotnet-counters, dotnet-trace and dotnet-dump. The listener closes with the exec, but the file stays, and
    /// the restarted runtime (same PID, same start time, so the same name) cannot bind it: the diagnostic tools would
    /// get "connection refused" for the gateway's whole life. Removing the file lets the new runtime create it afresh.
    /// </summary>
    private static void RemoveOwnDiagnosticSocket()
    {
        try
        {
            foreach (var socket in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
                File.Delete(socket);
        }
        catch (IOException)
        {
            // Best effort: without it only the diagnostic tools cannot attach; the gateway itself is unaffected.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>NUL-terminated UTF-8 strings and a null pointer at the end, as execve(2) reads them.</summary>
    private static IntPtr[] ToNativeArray(IReadOnlyList<string> values)
    {
        var pointers = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++) pointers[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        return pointers;
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, IntPtr[] argv, IntPtr[] envp);
}
