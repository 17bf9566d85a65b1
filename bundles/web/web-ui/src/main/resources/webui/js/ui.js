// Shared pieces of the pages: state badges, action buttons that report their outcome, downloads.
import { h } from './dom.js';
import { errorBox } from './app.js';
import { ApiError } from './api.js';

const TONES = {
  RUNNING: 'ok', FULFILLED: 'ok', ENABLED: 'ok', APPROVED: 'ok', FINAL: 'ok', FINALIZED: 'ok', UP: 'ok',
  SUBMITTED: 'warn', PROVISIONING: 'warn', PAUSED: 'warn', MAINTENANCE: 'warn', DRAFT: 'warn', UNKNOWN: 'warn',
  STOPPED: 'neutral', CANCELLED: 'neutral', DELETED: 'neutral',
  FAILED: 'bad', REJECTED: 'bad', DOWN: 'bad',
};

/** A state as a badge with its translated name (message state.<STATE>, else the raw value). */
export function badge(ctx, value) {
  const key = `state.${value}`;
  return h('span', { class: `badge ${TONES[value] || 'neutral'}` }, ctx.has(key) ? ctx.t(key) : value);
}

/** What an action's function returns when the user called it off (a dialog cancelled): nothing happens. */
export const CANCELLED = Symbol('cancelled');

/**
 * A button that runs an API action, then announces the success text and refreshes the page;
 * a failure is shown as an alert next to the page heading. label: visible text; name: the
 * accessible name when the visible text alone is ambiguous in a table (e.g. "Stop web-1").
 */
export function action(ctx, label, name, fn, success, cls) {
  return h('button', {
    type: 'button', class: cls || 'secondary', 'aria-label': name || null,
    onclick: async (ev) => {
      const button = ev.currentTarget;
      button.disabled = true;
      try {
        if (await fn() === CANCELLED) {
          // a dialog closed: the focus goes back to the (re-enabled) button that opened it
          button.disabled = false;
          button.focus();
          return;
        }
        ctx.announce(success);
        await ctx.refresh();
      } catch (e) {
        button.disabled = false;
        document.getElementById('main').querySelector('h1').after(errorBox(e, ctx.t));
      }
    },
  }, label);
}

/** Downloads /api + path with the given Accept type as a file (links cannot send Accept). */
export async function download(path, accept, filename) {
  const r = await fetch(`/api${path}`, { headers: { Accept: accept, 'X-Requested-With': 'verbund-web' }, credentials: 'same-origin' });
  if (!r.ok) {
    let problem = null;
    try { problem = await r.json(); } catch (e) { problem = null; }
    throw new ApiError(r.status, problem);
  }
  const url = URL.createObjectURL(await r.blob());
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The authorities the caller may see, by id (for names in tables). */
export async function authorityNames(ctx) {
  const list = await ctx.api.all('/authorities');
  return Object.fromEntries(list.map((a) => [a.id, a.name]));
}

/** "2 vCPU · 4 GiB · 20 GiB" */
export function size(ctx, vcpu, ramMib, diskGib) {
  return `${ctx.fmt.number(vcpu)} vCPU · ${ctx.fmt.mib(ramMib)} RAM · ${ctx.fmt.number(diskGib)} GiB`;
}

/**
 * Goes to a route ('#/billing/documents?period=2026-11') and announces a message there (the shell
 * clears the live region on navigation, so the message is set after it did); on the same route
 * the page is rendered again.
 */
export async function navigate(ctx, hash, message) {
  if (location.hash === hash) {
    ctx.announce(message);
    await ctx.refresh();
    return;
  }
  window.addEventListener('hashchange', () => ctx.announce(message), { once: true });
  location.hash = hash;
}
