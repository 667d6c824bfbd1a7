using Bunit;
using EntitlementPortal.Components.Layout;
using EntitlementPortal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace EntitlementPortal.Tests.Layout;

public sealed class ThemeToggleTests : PortalComponentTest
{
    [Fact]
    public void Clicking_switches_mode_at_once_and_stores_the_choice_on_the_server()
    {
        var isDark = false;
        var toggle = Render<ThemeToggle>(p => p
            .Add(t => t.IsDarkMode, false)
            .Add(t => t.ChoiceIsStored, true)
            .Add(t => t.IsDarkModeChanged, value => isDark = value));

        toggle.Find("button").Click();

        Assert.True(isDark);
        var stored = JSInterop.VerifyInvoke("portalTheme.store");
        Assert.Equal(["dark"], stored.Arguments);
    }

    [Fact]
    public void Icon_offers_the_other_mode()
    {
        var light = Render<ThemeToggle>(p => p.Add(t => t.IsDarkMode, false));
        var dark = Render<ThemeToggle>(p => p.Add(t => t.IsDarkMode, true));

        Assert.Equal("Switch to dark mode", light.Find("button").GetAttribute("aria-label"));
        Assert.Equal("Switch to light mode", dark.Find("button").GetAttribute("aria-label"));
    }

    [Fact]
    public void On_a_static_page_the_switch_is_a_full_page_link_that_comes_back_to_this_page()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("Account/Manage/Email?status=sent");

        var toggle = Render<ThemeToggle>(p => p.Add(t => t.IsDarkMode, true).Add(t => t.Static, true));

        var link = toggle.Find("a#theme-toggle");
        Assert.Equal("theme/light?returnUrl=" + Uri.EscapeDataString("Account/Manage/Email?status=sent"), link.GetAttribute("href"));
        Assert.Equal("false", link.GetAttribute("data-enhance-nav"));
        Assert.Equal("Switch to light mode", link.GetAttribute("aria-label"));
        Assert.Empty(toggle.FindAll("button"));
        Assert.Empty(JSInterop.Invocations);
    }

    [Fact]
    public void Without_a_stored_choice_an_earlier_dark_choice_kept_in_the_browser_is_taken_over()
    {
        JSInterop.Setup<string?>("portalTheme.takeEarlierChoice").SetResult("dark");
        var isDark = false;

        Render<ThemeToggle>(p => p
            .Add(t => t.IsDarkMode, false)
            .Add(t => t.IsDarkModeChanged, value => isDark = value));

        Assert.True(isDark);
        Assert.Equal(["dark"], JSInterop.VerifyInvoke("portalTheme.store").Arguments);
    }

    [Fact]
    public void With_a_stored_choice_the_browser_is_not_asked_for_an_earlier_one()
    {
        var changed = false;

        Render<ThemeToggle>(p => p
            .Add(t => t.IsDarkMode, false)
            .Add(t => t.ChoiceIsStored, true)
            .Add(t => t.IsDarkModeChanged, _ => changed = true));

        Assert.False(changed);
        JSInterop.VerifyNotInvoke("portalTheme.takeEarlierChoice");
    }
}
