using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;
using Switchboard.Limits;

namespace Switchboard.Config;

/// <summary>Maps the <c>teams:</c> section: team name → shared limits and budget for the team's keys.</summary>
internal static class TeamMapper
{
    private static readonly string[] AllowedKeys = ["rpm", "tpm", "max_parallel", "budget_usd", "budget_period"];

    public static ImmutableArray<TeamConfig> Read(YamlNode? node, YamlNodeReader reader)
    {
        if (node is null || reader.Entries(node, "teams") is not { } entries)
        {
            return [];
        }

        var teams = ImmutableArray.CreateBuilder<TeamConfig>(entries.Count);
        foreach (var entry in entries)
        {
            var name = entry.Key.Trim();
            if (name.Length == 0)
            {
                reader.Error(entry.KeyNode, entry.Path, "a team name must not be empty");
                continue;
            }

            // "ops: {}" or "ops:" (null) declare a team without limits.
            var fields = reader.Fields(entry.Value, entry.Path, AllowedKeys);
            if (fields is null)
            {
                continue;
            }

            var errorsBefore = reader.Errors.Count;
            var team = new TeamConfig
            {
                Name = name,
                Limits = LimitSettingsMapper.Read(fields, reader),
            };
            if (reader.Errors.Count == errorsBefore)
            {
                teams.Add(team);
            }
        }

        return teams.ToImmutable();
    }
}
