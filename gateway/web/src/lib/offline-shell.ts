// Registers the service worker (public/sw.js) that keeps the page and its assets for offline
// use, and tells it which assets this page already loaded (those fetched before the worker took
// control would otherwise be missing offline). Without service workers (an insecure origin, an
// old browser) the app works the same, only not after a reload without network.

function loadedAssets(): string[] {
  const urls = performance.getEntriesByType('resource')
    .map((e) => e.name)
    .filter((u) => u.startsWith(`${window.location.origin}/assets/`));
  // the page and the config too: the first visit was loaded before the worker existed
  return [...new Set([`${window.location.origin}/`, `${window.location.origin}/config.json`, ...urls])];
}

/** Ask the worker to keep every asset loaded so far (call after a lazy screen loaded). */
export function rememberAssets(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.ready.then((reg) => {
    reg.active?.postMessage({ type: 'cache-assets', urls: loadedAssets() });
  }, () => {});
}

export function registerOfflineShell(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('/sw.js').then(() => rememberAssets(), () => { /* no worker: online only */ });
}
