using System.Globalization;
using System.Reflection;

namespace Switchboard.Storage.Migrations;

/// <summary>One versioned schema change for one backend.</summary>
/// <param name="Version">001-099: storage (keys, teams, ledger); 100+: limits and budgets.</param>
/// <param name="Name">The file name after the number.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Finds the embedded <c>Migrations/&lt;backend&gt;/NNN_name.sql</c> resources, and <c>Migrations/common/NNN_name.sql</c>:
/// one file for both backends, where their SQL is the same.
/// </summary>
public static class MigrationCatalog
{
    public static IReadOnlyList<Migration> Load(StorageBackend backend, IEnumerable<Assembly> assemblies)
    {
        var own = "Migrations/" + (backend == StorageBackend.Postgres ? "postgres" : "sqlite") + "/";
        const string common = "Migrations/common/";
        var result = new List<Migration>();
        foreach (var assembly in assemblies)
        {
            foreach (var resource in assembly.GetManifestResourceNames())
            {
                var prefix = resource.StartsWith(own, StringComparison.Ordinal) ? own : common;
                if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal)) continue;
                var file = resource[prefix.Length..^4];
                var underscore = file.IndexOf('_', StringComparison.Ordinal);
                if (underscore <= 0 || !int.TryParse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    throw new InvalidOperationException($"migration resource {resource} is not named NNN_name.sql");
                }
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream);
                result.Add(new Migration(version, file[(underscore + 1)..], reader.ReadToEnd()));
            }
        }
        result.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < result.Count; i++)
        {
            if (result[i].Version == result[i - 1].Version)
            {
                throw new InvalidOperationException($"two migrations share version {result[i].Version}: {result[i - 1].Name} and {result[i].Name}");
            }
        }
        return result;
    }
}
