using System.Net;
using System.Net.Sockets;

namespace EntitlementPortal.Features.Tokens;

/// <summary>The allow-list of client networks for a token: IPv4 and IPv6 CIDR blocks (a bare address is /32 or /128).</summary>
public static class CidrList
{
    /// <summary>Canonical text of each entry, or the first problem found (with the offending entry).</summary>
    public static (IReadOnlyList<string> Networks, string? Problem) Normalize(IEnumerable<string>? entries)
    {
        var networks = new List<string>();
        foreach (var raw in entries ?? [])
        {
            var entry = raw?.Trim() ?? "";
            if (entry.Length == 0)
            {
                continue;
            }
            if (!TryParse(entry, out var network, out var problem))
            {
                return (networks, problem);
            }
            var text = network.ToString();
            if (!networks.Contains(text))
            {
                networks.Add(text);
            }
        }
        return networks.Count > TokenRules.MaxCidrs
            ? (networks, $"At most {TokenRules.MaxCidrs} networks may be listed.")
            : (networks, null);
    }

    public static IReadOnlyList<string> FromStored(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : stored.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static string? ToStored(IReadOnlyList<string> networks) => networks.Count == 0 ? null : string.Join('\n', networks);

    public static bool Contains(IReadOnlyList<string> networks, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var text in networks)
        {
            if (System.Net.IPNetwork.TryParse(text, out var network) && network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    private static bool TryParse(string entry, out System.Net.IPNetwork network, out string? problem)
    {
        problem = null;
        network = default;
        if (!entry.Contains('/') && IPAddress.TryParse(entry, out var single))
        {
            network = new System.Net.IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        var slash = entry.IndexOf('/');
        if (slash > 0 && IPAddress.TryParse(entry[..slash], out var baseAddress)
            && int.TryParse(entry[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            && prefix <= (baseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            var masked = Mask(baseAddress, prefix);
            network = new System.Net.IPNetwork(masked, prefix);
            if (masked.Equals(baseAddress))
            {
                return true;
            }
            // 10.1.2.3/8 is almost always a typo for 10.0.0.0/8 or 10.1.2.3/32: ask rather than guess.
            problem = $"'{entry}' has host bits set after /{prefix}; did you mean {network}?";
            return false;
        }
        problem = $"'{entry}' is not an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24 or 2001:db8::/32).";
        return false;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }
        return new IPAddress(bytes);
    }
}
