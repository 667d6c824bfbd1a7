using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace EntitlementPortal.Tests.Browser.Accessibility;

/// <summary>
/// Every routable page of the portal, read from the app's own components, so a new page is checked without anyone
/// remembering to list it.
/// </summary>
public static class PortalPages
{
    public sealed record PortalPage(string Template, bool Interactive);

    /// <summary>Pages the check cannot open as a signed-in administrator, each with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotChecked = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Identity's pages for an account that has two-factor sign-in on refuse (with an exception) to render for
        // one that has not; the check signs in without a second factor. Their layout is the account settings
        // layout that the other /Account/Manage pages are checked in.
        ["/Account/Manage/Disable2fa"] = "needs two-factor sign-in switched on",
        ["/Account/Manage/GenerateRecoveryCodes"] = "needs two-factor sign-in switched on",
    };

    public static IReadOnlyList<PortalPage> All { get; } = typeof(Program).Assembly.GetTypes()
        .Where(type => typeof(IComponent).IsAssignableFrom(type) && !type.IsAbstract)
        .SelectMany(type => type.GetCustomAttributes<RouteAttribute>().Select(route => new PortalPage(
            route.Template,
            // Identity's account pages render statically (no circuit: nothing to wait for but the page).
            type.GetCustomAttribute<ExcludeFromInteractiveRoutingAttribute>(inherit: true) is null)))
        .Where(page => !NotChecked.ContainsKey(page.Template))
        .OrderBy(page => page.Template, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The template with its parameters replaced by seeded data; a template nobody seeded fails loudly.</summary>
    public static string Address(string template, IReadOnlyDictionary<string, string> seeded)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }
        Assert.True(seeded.TryGetValue(template, out var address),
            $"The page {template} takes route parameters: seed data for it in {nameof(PortalPagesFixture)} and map it there.");
        return address;
    }
}
