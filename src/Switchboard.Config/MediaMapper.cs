using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>Maps the <c>media:</c> section: how the gateway fetches images it must inline for an upstream.</summary>
internal static class MediaMapper
{
    private static readonly string[] MediaKeys = ["allow_private_networks"];

    public static MediaSettings Read(YamlNode? node, YamlNodeReader reader)
    {
        if (node is null || reader.Fields(node, "media", MediaKeys) is not { } fields)
        {
            return new MediaSettings();
        }

        return new MediaSettings
        {
            AllowPrivateNetworks = RoutingMapper.ReadBool(fields.Get("allow_private_networks"), fields.PathOf("allow_private_networks"), reader) ?? false,
        };
    }
}
