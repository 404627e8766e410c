using System.Net;
using Switchboard.Media;

namespace Switchboard.Core.Tests.Media;

/// <summary>The SSRF guard's notion of "public": what a client may make the gateway fetch from.</summary>
public sealed class PublicAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]   // cloud metadata
    [InlineData("100.64.0.1")]        // carrier-grade NAT
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fd00::1")]           // unique local
    [InlineData("fe80::1")]           // link-local
    [InlineData("::ffff:127.0.0.1")]  // IPv4-mapped loopback
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::7f00:1")]    // NAT64 of 127.0.0.1
    [InlineData("::127.0.0.1")]        // IPv4-compatible loopback
    [InlineData("::a9fe:a9fe")]        // IPv4-compatible 169.254.169.254
    [InlineData("::8.8.8.8")]          // IPv4-compatible: deprecated, never a destination
    [InlineData("2002:7f00:1::1")]     // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::")]   // 6to4 of 169.254.169.254
    [InlineData("2002:c0a8:101::5")]   // 6to4 of 192.168.1.1
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo
    [InlineData("::ffff:169.254.169.254")]
    public void Local_and_private_addresses_are_not_public(string address) =>
        Assert.False(PublicAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]        // just outside 172.16/12
    [InlineData("100.128.0.1")]       // just outside 100.64/10
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:1.1.1.1")]
    [InlineData("64:ff9b::808:808")]  // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")]   // 6to4 of 8.8.8.8
    public void Internet_addresses_are_public(string address) =>
        Assert.True(PublicAddresses.IsPublic(IPAddress.Parse(address)));
}
