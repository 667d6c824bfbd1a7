using EntitlementPortal.Components.Account;
using EntitlementPortal.Tests.Support;

namespace EntitlementPortal.Tests.Browser.Accessibility;

/// <summary>Setting up an authenticator app shows a QR code to scan, not a note on how a developer could add one.</summary>
[Collection(PortalPagesCollection.Name)]
public sealed class AuthenticatorQrCodeTests(PortalPagesFixture portal)
{
    private readonly BrowserFixture browser = portal.Browser;

    [Fact]
    public async Task The_authenticator_page_shows_the_key_as_a_qr_code_drawn_by_the_server()
    {
        var page = await portal.DefaultThemePageAsync();
        await page.GotoAsync("/Account/Manage/EnableAuthenticator");

        var qr = page.Locator("#authenticator-qr svg");
        await qr.WaitForAsync();
        var box = await qr.BoundingBoxAsync();
        Assert.True(box!.Width >= 150 && Math.Abs(box.Width - box.Height) < 1, $"The QR code is {box.Width}×{box.Height} px.");
        Assert.Equal(1, await page.Locator("#authenticator-qr svg path[fill='#000000']").CountAsync());
        Assert.Equal(0, await page.GetByText("enable QR code generation").CountAsync());
        browser.AssertNoCspViolations(page);
    }

    [Fact]
    public void The_code_is_square_black_on_white_and_differs_for_another_key()
    {
        var one = AuthenticatorQrCode.Svg("otpauth://totp/EntitlementPortal:ada@example.com?secret=JBSWY3DPEHPK3PXP&issuer=EntitlementPortal&digits=6");
        var other = AuthenticatorQrCode.Svg("otpauth://totp/EntitlementPortal:ada@example.com?secret=KRSXG5CTMVRXEZLU&issuer=EntitlementPortal&digits=6");

        Assert.Matches("^<svg [^>]*viewBox=\"0 0 (\\d+) \\1\"", one);
        Assert.Contains("fill=\"#ffffff\"", one, StringComparison.Ordinal);
        Assert.Contains("fill=\"#000000\"", one, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", one, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(one, other);
    }
}
