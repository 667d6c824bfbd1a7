using QRCoder;

namespace EntitlementPortal.Components.Account;

/// <summary>
/// The authenticator key's <c>otpauth://</c> address as a QR code, drawn on the server as SVG: the account pages are
/// static and the content security policy allows no script to draw one in the browser. Dark modules on white in
/// both themes, as scanners expect.
/// </summary>
public static class AuthenticatorQrCode
{
    public static string Svg(string otpAuthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpAuthUri, QRCodeGenerator.ECCLevel.Q);
        return new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
