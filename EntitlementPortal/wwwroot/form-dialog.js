// A form field that is not Immediate hands its text to the server on 'change', which the browser fires on blur or
// Enter. Esc in such a field, right after typing, would reach the form dialog before the text did, and the dialog
// would close as if nothing had been typed, without asking. So Esc in a form dialog first commits the field, as a
// blur would: only when its text changed since it was last committed, so a field never sees a change it did not have.
(() => {
    const dialog = '[data-form-dialog]';
    const committed = new WeakMap();
    const isText = element =>
        element instanceof HTMLTextAreaElement
        || (element instanceof HTMLInputElement
            && ['text', 'email', 'password', 'search', 'tel', 'url', 'number'].includes(element.type));

    const remember = event => {
        if (isText(event.target)) {
            committed.set(event.target, event.target.value);
        }
    };
    document.addEventListener('focusin', remember, true);
    document.addEventListener('change', remember, true);

    // Capturing, so this runs before Blazor sees the key: the server gets the text, then the Esc.
    document.addEventListener('keydown', event => {
        const field = event.target;
        if (event.key === 'Escape' && isText(field) && field.closest(dialog) && committed.get(field) !== field.value) {
            field.dispatchEvent(new Event('change', { bubbles: true }));
        }
    }, true);

    // A click on the dialog's blank edge (the title bar's padding, its border) lands on no field and leaves the focus
    // on the dialog box itself or the page, where Esc reaches no handler. The form's frame takes the focus instead.
    document.addEventListener('click', event => {
        const box = event.target instanceof Element ? event.target.closest('.mud-dialog') : null;
        const frame = box?.querySelector(dialog);
        const active = document.activeElement;
        if (frame && (!active || active === document.body || active === box || !box.contains(active))) {
            frame.focus();
        }
    }, true);

    // Esc pressed while a list is open (an autocomplete's suggestions, a select's options) closes that list; it must
    // not also close the dialog. The focus of an autocomplete stays in its field, inside the dialog, so the dialog sees
    // that Esc too: it asks here whether the Esc was for a list, as the list was when the key went down.
    let escapeWasForList = false;
    document.addEventListener('keydown', event => {
        if (event.key === 'Escape') {
            escapeWasForList = document.querySelector('.mud-popover-open .mud-list') !== null;
        }
    }, true);
    window.portalFormDialog = {
        escapeWasForList: () => {
            const was = escapeWasForList;
            escapeWasForList = false;
            return was;
        },
    };
})();
