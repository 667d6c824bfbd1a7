// The theme choice lives in a cookie that only the server writes (GET /theme/{choice}), so every page, the static
// account pages too, is rendered in it from the first paint. The header's switch recolours the page at once and
// stores the choice here; the redirect the endpoint answers with is not followed (its page is not wanted).
window.portalTheme = {
    store: async choice => {
        const response = await fetch(`theme/${encodeURIComponent(choice)}`, { redirect: 'manual', credentials: 'same-origin' });
        if (response.type !== 'opaqueredirect' && !response.ok) {
            throw new Error(`The theme choice was not stored (HTTP ${response.status}).`);
        }
    },
    // Earlier versions kept the choice in this browser's local storage: hand it over once, then forget it.
    takeEarlierChoice: () => {
        const choice = localStorage.getItem('portal-theme');
        localStorage.removeItem('portal-theme');
        return choice;
    },
};
