// The CSV export of the Downloads page, fetched here rather than by a plain link so that a large export shows how
// far it has come, can be cancelled, and a refusal (a filter the portal does not accept) reads as a message instead
// of a JSON page. The server streams the file row by row; this reads it as it arrives, counts rows and bytes, and
// saves it: straight to a file the person picks where the browser can (a large export never sits in memory),
// otherwise as a download of the received bytes. Without this script the button is still a plain download link.
(() => {
    const buttonSelector = '#export-csv';
    const ids = {
        panel: 'export-progress', bar: 'export-progress-bar', text: 'export-progress-text', cancel: 'export-cancel',
        problem: 'export-problem', problemText: 'export-problem-text',
    };
    const newline = 0x0a;
    const quote = 0x22;
    let running = null;

    const element = id => document.getElementById(id);

    const count = value => value.toLocaleString('en-US');

    const size = bytes => bytes < 1024 ? `${bytes} B`
        : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB`
            : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

    // Rows are CRLF-terminated lines, but a quoted cell (a user agent, a file name) may hold a line break of its own:
    // only a newline outside quotes ends a row. A doubled quote inside a cell toggles twice and changes nothing.
    const rowCounter = () => {
        let inQuotes = false;
        let lines = 0;
        return {
            add(chunk) {
                for (let i = 0; i < chunk.length; i++) {
                    const b = chunk[i];
                    if (b === quote) {
                        inQuotes = !inQuotes;
                    } else if (b === newline && !inQuotes) {
                        lines++;
                    }
                }
            },
            // The first line is the header.
            get rows() { return Math.max(0, lines - 1); },
        };
    };

    // "attachment; filename="downloads-20261201-101500.csv"" (or RFC 5987's filename*=UTF-8''...).
    const fileName = header => {
        if (!header) {
            return null;
        }
        const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
        if (extended) {
            try {
                return decodeURIComponent(extended[1].trim());
            } catch {
                // A malformed encoding falls back to the plain name below.
            }
        }
        const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
        return plain ? plain[1].trim() : null;
    };

    class ExportProblem extends Error { }

    const problemText = async response => {
        const type = response.headers.get('content-type') || '';
        if (type.includes('json')) {
            try {
                const problem = await response.json();
                const parts = [problem.title, problem.detail].filter(p => typeof p === 'string' && p.length > 0);
                if (parts.length > 0) {
                    return `${parts.join(': ')} (${response.status})`;
                }
            } catch {
                // Not problem details after all: the status line below still says what happened.
            }
        }
        return `The export failed: the portal answered ${response.status} ${response.statusText}.`.trim();
    };

    // A large export goes straight to disk where the browser lets the page write a file. Automated browsers get the
    // download path (a save dialog would wait for a person), and so does anyone whose browser lacks the picker.
    const mayPickFile = link => link.dataset.large === 'true' && typeof window.showSaveFilePicker === 'function' && !navigator.webdriver;

    const openFileSink = async name => {
        const handle = await window.showSaveFilePicker({
            suggestedName: name, types: [{ description: 'CSV file', accept: { 'text/csv': ['.csv'] } }],
        });
        const writable = await handle.createWritable();
        return {
            write: chunk => writable.write(chunk),
            close: () => writable.close(),
            abort: () => writable.abort(),
        };
    };

    const memorySink = name => {
        const chunks = [];
        return {
            write: chunk => { chunks.push(chunk); },
            close: () => {
                const url = URL.createObjectURL(new Blob(chunks, { type: 'text/csv' }));
                const anchor = document.createElement('a');
                anchor.href = url;
                anchor.download = name;
                anchor.hidden = true;
                document.body.append(anchor);
                anchor.click();
                anchor.remove();
                // The browser reads the blob after the click returns; release the memory once it has surely started.
                setTimeout(() => URL.revokeObjectURL(url), 60_000);
            },
            abort: () => { chunks.length = 0; },
        };
    };

    const openSink = async (link, name) => {
        if (!mayPickFile(link)) {
            return memorySink(name);
        }
        try {
            return await openFileSink(name);
        } catch (error) {
            // Dismissing the dialog cancels the export; a browser that refuses the picker here (the click's user
            // activation has lapsed while the server started) still gets the file as a download.
            if (error.name === 'AbortError') {
                throw error;
            }
            return memorySink(name);
        }
    };

    const show = (rows, bytes, total) => {
        const bar = element(ids.bar);
        const text = element(ids.text);
        if (!bar || !text) {
            return;
        }
        if (total > 0) {
            bar.max = total;
            bar.value = Math.min(rows, total);
            const percent = Math.min(100, Math.floor(rows * 100 / total));
            text.textContent = `${count(rows)} of ${count(total)} rows (${percent}%), ${size(bytes)} received`;
        } else {
            // Without a known total the bar stays indeterminate and the count is what moves.
            bar.removeAttribute('value');
            text.textContent = `${count(rows)} rows, ${size(bytes)} received`;
        }
    };

    const setState = (state, message) => {
        const panel = element(ids.panel);
        const cancel = element(ids.cancel);
        const problem = element(ids.problem);
        if (panel) {
            panel.hidden = state === 'problem';
            panel.dataset.state = state;
        }
        if (cancel) {
            cancel.hidden = state !== 'running';
        }
        if (problem) {
            problem.hidden = state !== 'problem';
        }
        if (state === 'problem') {
            const text = element(ids.problemText);
            if (text) {
                text.textContent = message;
            }
        } else if (message !== undefined) {
            const text = element(ids.text);
            if (text) {
                text.textContent = message;
            }
        }
    };

    const run = async link => {
        const controller = new AbortController();
        running = controller;
        const total = Number.parseInt(link.dataset.rows ?? '', 10) || 0;
        let sink = null;
        setState('running', 'Waiting for the portal to start the export…');
        const bar = element(ids.bar);
        bar?.removeAttribute('value');
        try {
            const response = await fetch(link.href, { signal: controller.signal, credentials: 'same-origin', headers: { Accept: 'text/csv' } });
            if (!response.ok) {
                throw new ExportProblem(await problemText(response));
            }
            if (!(response.headers.get('content-type') || '').startsWith('text/csv')) {
                // A sign-in that ended redirects to the login page, which arrives as 200 HTML.
                throw new ExportProblem('The portal answered with a page instead of the file: your sign-in may have ended. Reload the page and try again.');
            }
            const name = fileName(response.headers.get('content-disposition')) || link.getAttribute('download') || 'downloads.csv';
            sink = await openSink(link, name);
            const counter = rowCounter();
            const reader = response.body.getReader();
            let bytes = 0;
            let shownAt = 0;
            show(0, 0, total);
            for (;;) {
                const { done, value } = await reader.read();
                if (done) {
                    break;
                }
                counter.add(value);
                bytes += value.length;
                await sink.write(value);
                // A fast stream delivers many small chunks; redrawing a few times a second is enough to read.
                if (performance.now() - shownAt > 100) {
                    show(counter.rows, bytes, total);
                    shownAt = performance.now();
                }
            }
            await sink.close();
            if (bar) {
                bar.max = 1;
                bar.value = 1;
            }
            setState('done', `Saved ${name}: ${count(counter.rows)} ${counter.rows === 1 ? 'row' : 'rows'}, ${size(bytes)}.`);
        } catch (error) {
            // Stop reading whatever the reason, and leave no half-written file behind.
            controller.abort();
            try {
                await sink?.abort();
            } catch {
                // The file was closed or never opened: nothing to discard.
            }
            if (error.name === 'AbortError') {
                setState('cancelled', 'Export cancelled; nothing was saved.');
            } else if (error instanceof ExportProblem) {
                setState('problem', error.message);
            } else {
                setState('problem', `The export stopped: ${error.message || error}. Nothing was saved; try again.`);
            }
        } finally {
            running = null;
        }
    };

    document.addEventListener('click', event => {
        const target = event.target instanceof Element ? event.target : null;
        if (target?.closest(`#${ids.cancel}`)) {
            running?.abort();
            return;
        }
        const link = target?.closest(buttonSelector);
        // Modified clicks (new tab, save link as) keep the link's own behaviour, and so does a page without the panel.
        if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || !element(ids.panel)) {
            return;
        }
        event.preventDefault();
        if (!running) {
            run(link);
        }
    });
})();
