// The VM table's rows in view (issue 4): the server renders only those of a page, plus a margin, and spacers for the
// rest, so that a filter swapping a page's rows sends the rows one sees rather than all 50. Reports the first row in view
// and how many fit, from the table's own scroll box, on scroll and resize (once per animation frame, only on change);
// -1 in the card view (≤ 640 px: cards of varying height), where every row is rendered.
export function observe(scroller, dotnet) {
    let queued = false, last = '';
    const report = () => {
        queued = false;
        const cards = window.matchMedia('(max-width: 640px)').matches;
        const head = scroller.querySelector('thead');
        const row = scroller.querySelector('tbody tr.mx-vmrow');
        const height = row ? row.getBoundingClientRect().height : 0;
        let first = -1, count = -1;
        if (!cards && height > 0) {
            const top = Math.max(0, scroller.scrollTop - (head ? head.offsetHeight : 0));
            first = Math.floor(top / height);
            count = Math.ceil(scroller.clientHeight / height) + 1;
        }
        const key = first + ':' + count + ':' + Math.round(height);
        if (key === last) return;
        last = key;
        dotnet.invokeMethodAsync('SetViewport', first, count, height).catch(() => { });
    };
    const schedule = () => {
        if (queued) return;
        queued = true;
        requestAnimationFrame(report);
    };
    scroller.addEventListener('scroll', schedule, { passive: true });
    const resized = new ResizeObserver(schedule);
    resized.observe(scroller);
    report();
    return {
        dispose: () => {
            scroller.removeEventListener('scroll', schedule);
            resized.disconnect();
        },
    };
}
