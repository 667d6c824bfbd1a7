// MudTableSortLabel renders a clickable <span>: mouse users can sort, keyboard users cannot reach it. Make every
// sort header a focusable button that Enter and Space activate, as a native button would, in one place for all
// tables (Blazor keeps attributes it did not render, so the ones set here survive re-renders).
// Its column header says how the table is sorted (aria-sort), read from the direction the label shows: the table's
// own sort, whether it came from the list's default, from the address or from a click.
(() => {
    const selector = '.mud-table-sort-label';

    const sortOf = label => {
        const icon = label.querySelector('.mud-table-sort-label-icon');
        if (!icon) {
            return null;
        }
        return icon.classList.contains('mud-direction-asc') ? 'ascending'
            : icon.classList.contains('mud-direction-desc') ? 'descending'
            : 'none';
    };

    const enhance = root => {
        for (const label of root.querySelectorAll(selector)) {
            if (!label.hasAttribute('tabindex')) {
                label.setAttribute('tabindex', '0');
                label.setAttribute('role', 'button');
            }
            const header = label.closest('th');
            const sort = sortOf(label);
            if (header && sort && header.getAttribute('aria-sort') !== sort) {
                header.setAttribute('aria-sort', sort);
            }
        }
    };

    document.addEventListener('keydown', event => {
        const label = event.target instanceof Element ? event.target.closest(selector) : null;
        if (label && (event.key === 'Enter' || event.key === ' ')) {
            event.preventDefault();
            label.click();
        }
    });

    // A sort changes the class of the label's icon; new tables and re-rendered headers add nodes.
    new MutationObserver(() => enhance(document)).observe(document.documentElement,
        { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
    enhance(document);
})();
