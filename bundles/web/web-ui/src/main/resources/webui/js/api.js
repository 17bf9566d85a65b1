// The REST API from the browser. Requests carry the session cookie (HttpOnly, set by
// POST /api/session) and the X-Requested-With header the server demands of every
// cookie-authenticated write (CSRF defence, see docs/design-notes.md "Web UI").
// Errors are RFC 9457 problem bodies: ApiError carries status, title and detail.

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

let onUnauthorized = () => {};

/** Called when a request answers 401 (the session ended): the shell shows the login form. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/** One request to /api + path; JSON in and out; resolves to the body (null for 204). */
export async function request(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json', 'X-Requested-With': 'verbund-web' };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(`/api${path}`, init);
  if (!r.ok) {
    let problem = null;
    try { problem = await r.json(); } catch (e) { problem = null; }
    if (r.status === 401 && !path.startsWith('/session')) onUnauthorized();
    throw new ApiError(r.status, problem);
  }
  if (r.status === 204) return null;
  const type = r.headers.get('Content-Type') || '';
  return type.includes('json') ? r.json() : r.text();
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body === undefined ? {} : body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

/**
 * Every item of a paged list (limit/cursor), up to max items.
 * path may carry a query already.
 */
export async function all(path, max = 1000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(`${path}${sep}limit=${Math.min(500, max)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...(page.items || []));
    cursor = page.nextCursor || null;
  } while (cursor && items.length < max);
  return items;
}
