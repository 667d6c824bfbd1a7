using System.Net;
using System.Net.Sockets;

namespace EntitlementPortal.Features.Webhooks;

/// <summary>
/// Which addresses a webhook may be sent to: public unicast only. Everything that reaches the server's own networks
/// is refused — loopback, RFC 1918, carrier-grade NAT, link-local (cloud metadata at 169.254.169.254), unique-local,
/// multicast, reserved and documentation ranges — including the IPv6 forms that embed an IPv4 address
/// (IPv4-mapped, IPv4-compatible, NAT64, 6to4), which would otherwise smuggle 127.0.0.1 past a check of IPv4 alone.
/// </summary>
public static class WebhookAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsPublicV4(address.GetAddressBytes());
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        var b = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6 || IsZero(b, 0, 12))
        {
            // ::ffff:a.b.c.d and the deprecated ::a.b.c.d (which also covers :: and ::1).
            return IsPublicV4(b[12..]);
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            // 64:ff9b::/96 is the well-known NAT64 prefix (the IPv4 address sits in the last four bytes);
            // 64:ff9b:1::/48 is for local NAT64 use only.
            return IsZero(b, 4, 8) && IsPublicV4(b[12..]);
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            // 6to4: 2002:a.b.c.d::/48.
            return IsPublicV4(b[2..6]);
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            // Teredo (2001::/32) tunnels to an obfuscated IPv4 address: not worth the risk.
            return false;
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        {
            return false; // 2001:db8::/32, documentation
        }
        // Only global unicast (2000::/3) is public; that excludes fc00::/7, fe80::/10, fec0::/10, ff00::/8 and 100::/64.
        return (b[0] & 0xE0) == 0x20;
    }

    private static bool IsPublicV4(byte[] b) => b[0] switch
    {
        0 or 10 or 127 => false,                    // "this network", RFC 1918, loopback
        100 => (b[1] & 0xC0) != 64,                 // 100.64.0.0/10, carrier-grade NAT
        169 => b[1] != 254,                         // link-local, cloud metadata services
        172 => (b[1] & 0xF0) != 16,                 // 172.16.0.0/12
        192 => !(b[1] == 168                        // 192.168.0.0/16
                 || (b[1] == 0 && b[2] is 0 or 2)   // IETF protocol assignments, TEST-NET-1
                 || (b[1] == 88 && b[2] == 99)),    // 6to4 relay anycast
        198 => (b[1] & 0xFE) != 18                  // 198.18.0.0/15, benchmarking
               && !(b[1] == 51 && b[2] == 100),     // TEST-NET-2
        203 => !(b[1] == 0 && b[2] == 113),         // TEST-NET-3
        >= 224 => false,                            // multicast, reserved, broadcast
        _ => true,
    };

    private static bool IsZero(byte[] bytes, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            if (bytes[i] != 0)
            {
                return false;
            }
        }
        return true;
    }
}
