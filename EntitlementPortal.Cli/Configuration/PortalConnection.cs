namespace EntitlementPortal.Cli.Configuration;

/// <summary>Where the portal is and the API key to present; what <c>ep login</c> stores.</summary>
public sealed record PortalConnection(string Url, string ApiKey);
