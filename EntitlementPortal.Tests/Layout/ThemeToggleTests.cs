using Bunit;
using EntitlementPortal.Components.Layout;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Layout;

public sealed class ThemeToggleTests : PortalComponentTest
{
    [Fact]
    public void Clicking_switches_mode_and_remembers_the_choice_in_the_browser()
    {
        var isDark = false;
        var toggle = Render<ThemeToggle>(p => p
            .Add(t => t.IsDarkMode, false)
            .Add(t => t.IsDarkModeChanged, value => isDark = value));

        toggle.Find("button").Click();

        Assert.True(isDark);
        var stored = JSInterop.VerifyInvoke("localStorage.setItem");
        Assert.Equal(["portal-theme", "dark"], stored.Arguments);
    }

    [Fact]
    public void Icon_offers_the_other_mode()
    {
        var light = Render<ThemeToggle>(p => p.Add(t => t.IsDarkMode, false));
        var dark = Render<ThemeToggle>(p => p.Add(t => t.IsDarkMode, true));

        Assert.Equal("Switch to dark mode", light.Find("button").GetAttribute("aria-label"));
        Assert.Equal("Switch to light mode", dark.Find("button").GetAttribute("aria-label"));
    }
}
