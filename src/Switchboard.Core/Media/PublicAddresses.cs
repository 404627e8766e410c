using System.Net;

namespace Switchboard.Media;

/// <summary>
/// Which addresses count as the public internet for fetches made on a client's behalf. Everything else — loopback,
/// private ranges, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved and the
/// IPv6 equivalents — is the gateway's own neighbourhood, which a client must not reach through it (SSRF).
/// </summary>
public static class PublicAddresses
{
    // IANA special-purpose registries (RFC 6890 and successors), the ranges that are not globally reachable.
    private static readonly IPNetwork[] NonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        // ::/96 holds ::, ::1 and the deprecated IPv4-compatible addresses (::a.b.c.d), which some stacks still
        // route to the IPv4 address inside: none is a public destination. 2001::/32 is Teredo (a tunnel whose
        // addresses hide an IPv4 endpoint): no image host lives there.
        IPNetwork.Parse("::/96"), IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001::/32"),
        IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>True when <paramref name="address"/> is a globally reachable unicast address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (Nat64.Contains(address))
        {
            // NAT64 embeds an IPv4 address in its last 32 bits: judge that address.
            var bytes = address.GetAddressBytes();
            address = new IPAddress(bytes.AsSpan(12, 4));
        }
        else if (SixToFour.Contains(address))
        {
            // 6to4 embeds the IPv4 address of its relay in bits 16-47 (2002:AABB:CCDD::): judge that address.
            var bytes = address.GetAddressBytes();
            address = new IPAddress(bytes.AsSpan(2, 4));
        }
        foreach (var network in NonPublic)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return false;
            }
        }
        return true;
    }
}
