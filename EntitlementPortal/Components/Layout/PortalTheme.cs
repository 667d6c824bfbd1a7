using MudBlazor;

namespace EntitlementPortal.Components.Layout;

public static class PortalTheme
{
    // System fonts: the portal runs offline, so no web font is fetched.
    private static readonly string[] FontStack =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        // Every colour is used as text on the background and as a fill under white (light) or black (dark) text,
        // so each keeps a WCAG AA contrast of at least 4.5:1 both ways; MudBlazor's defaults (#00c853, #ff9800,
        // #f44336, #2196f3) do not, nor does a mid-tone primary in the dark theme.
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00796b",
            Success = "#2e7d32",
            Warning = "#b45309",
            Error = "#c62828",
            Info = "#1565c0",
            AppbarBackground = "#283593",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da",
            PrimaryContrastText = "#000000",
            Secondary = "#80cbc4",
            SecondaryContrastText = "#000000",
            Success = "#81c784",
            SuccessContrastText = "#000000",
            Warning = "#ffb74d",
            WarningContrastText = "#000000",
            Error = "#ff8a80",
            ErrorContrastText = "#000000",
            Info = "#90caf9",
            InfoContrastText = "#000000",
            TextSecondary = "#b2b2b6",
            // MudBlazor writes alert text in the "darken" shade; on a dark surface that shade must be lighter.
            PrimaryDarken = "#c5cae9",
            SecondaryDarken = "#b2dfdb",
            SuccessDarken = "#a5d6a7",
            WarningDarken = "#ffcc80",
            ErrorDarken = "#ffb4ab",
            InfoDarken = "#bbdefb",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack },
        },
    };
}
