// MudTableSortLabel renders a clickable <span>: mouse users can sort, keyboard users cannot reach it. Make every
// sort header a focusable button that Enter and Space activate, as a native button would, in one place for all
// tables (Blazor keeps attributes it did not render, so the ones set here survive re-renders).
(() => {
    const selector = '.mud-table-sort-label';

    const enhance = root => {
        for (const label of root.querySelectorAll(`${selector}:not([tabindex])`)) {
            label.setAttribute('tabindex', '0');
            label.setAttribute('role', 'button');
        }
    };

    document.addEventListener('keydown', event => {
        const label = event.target instanceof Element ? event.target.closest(selector) : null;
        if (label && (event.key === 'Enter' || event.key === ' ')) {
            event.preventDefault();
            label.click();
        }
    });

    new MutationObserver(() => enhance(document)).observe(document.documentElement, { childList: true, subtree: true });
    enhance(document);
})();
