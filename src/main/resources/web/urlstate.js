// The page's view in its address bar, so that a copied link reproduces it. Each feature reads
// and writes only its own query parameters and keeps the others; a write replaces the current
// history entry (no reload, no new Back step). Everything read here came from whoever wrote
// the link: callers validate it.

/** The page address's query parameters (a copy: changing it changes nothing). */
export function params() {
  return new URLSearchParams(window.location.search);
}

/** One parameter's value, or null when absent. */
export function getParam(name) {
  return params().get(name);
}

/** Sets a parameter (a string), or removes it (null); the other parameters stay as they are. */
export function setParam(name, value) {
  const url = new URL(window.location.href);
  if (value === null || value === undefined) url.searchParams.delete(name);
  else url.searchParams.set(name, String(value));
  if (url.href === window.location.href) return;
  try {
    window.history.replaceState(window.history.state, '', url.href);
  } catch (e) {
    // Some pages cannot change their address (a file opened from disk in some browsers): the
    // view still works, only the link does not follow it.
  }
}
