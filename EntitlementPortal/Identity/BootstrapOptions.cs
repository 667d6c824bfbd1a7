namespace EntitlementPortal.Identity;

/// <summary>Configuration section <c>Bootstrap</c>: an administrator created at start-up for automated deployments.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string? AdminApiKey { get; set; }
}
