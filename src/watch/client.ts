/** Where the preview server answers its own requests, under the base path. */
export const CLIENT_PREFIX = '__gi-build/';

/**
 * The live-reload client the preview server adds to every HTML response (never written to the
 * output folder). It listens for server-sent events: `reload` reloads the page, or only swaps the
 * stylesheets when nothing but CSS changed; `build-error` shows the build's errors over the page.
 */
export const CLIENT_SCRIPT = `(() => {
  'use strict';
  const script = document.currentScript;
  const events = new EventSource(new URL('events', script.src));
  const OVERLAY = 'gi-build-overlay';
  function hide() {
    const old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }
  function show(report) {
    hide();
    const box = document.createElement('div');
    box.id = OVERLAY;
    box.setAttribute('role', 'alert');
    box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;white-space:pre-wrap';
    const title = document.createElement('h2');
    title.textContent = 'The build failed';
    title.style.cssText = 'color:#ff8a80;font:bold 1.3rem system-ui,sans-serif;margin:0 0 1rem';
    box.appendChild(title);
    for (const line of report.messages) {
      const p = document.createElement('p');
      p.textContent = line;
      p.style.margin = '0 0 .75rem';
      box.appendChild(p);
    }
    const note = document.createElement('p');
    note.textContent = 'Fix it and save: this page reloads by itself. The last good version of the site is still being served.';
    note.style.cssText = 'color:#bbb;font-family:system-ui,sans-serif';
    box.appendChild(note);
    document.body.appendChild(box);
  }
  events.addEventListener('reload', (event) => {
    const change = JSON.parse(event.data);
    if (change.css && !document.getElementById(OVERLAY)) {
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set('gi-reload', String(Date.now()));
        link.href = url.href;
      }
    } else {
      location.reload();
    }
  });
  events.addEventListener('build-error', (event) => show(JSON.parse(event.data)));
})();
`;
