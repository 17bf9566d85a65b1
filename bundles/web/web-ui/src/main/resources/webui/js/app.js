// The shell: language, session, navigation by role, routing by the URL fragment (#/path).
// Pages are modules listed in pages/index.js; see docs/design-notes.md "Web UI" for their contract.
import { h, replace } from './dom.js';
import * as i18n from './i18n.js';
import * as api from './api.js';
import { pages, sections, namespaces } from './pages/index.js';
import login from './login.js';

const state = { me: null, current: null, cleanup: null };

function visible(page) {
  return state.me && page.roles.some((r) => state.me.roles.includes(r));
}

/** Matches '#/vms/123' against '/vms/:id'; returns params or null. */
function match(pattern, path) {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const params = {};
  for (let i = 0; i < a.length; i += 1) {
    if (a[i].startsWith(':')) params[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

function homePath() {
  const first = pages.find((p) => p.nav && visible(p));
  return first ? first.path : '/';
}

/** Shows a message in the shell's live region (polite: screen readers announce it). */
export function announce(text) {
  const s = document.getElementById('status');
  replace(s, text ? h('p', {}, text) : null);
}

function renderShell() {
  const { t } = i18n;
  document.getElementById('skip-link').textContent = t('shell.skip');
  document.getElementById('brand').textContent = 'Verbund';
  document.getElementById('brand').setAttribute('aria-label', t('shell.home'));
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('shell.nav'));
  const here = (location.hash || '').slice(1);
  replace(nav, state.me ? sections.map((s) => {
    const items = pages.filter((p) => p.nav && p.nav.section === s && visible(p))
      .sort((x, y) => x.nav.order - y.nav.order);
    if (items.length === 0) return null;
    const sid = `nav-${s}`;
    return h('div', { class: 'nav-section' },
      h('h2', { id: sid, class: 'nav-heading' }, t(`nav.section.${s}`)),
      h('ul', { 'aria-labelledby': sid }, items.map((p) => h('li', {},
        h('a', { href: `#${p.path}`, 'aria-current': here === p.path || here.startsWith(`${p.path}/`) ? 'page' : null },
          t(p.nav.label || p.title))))));
  }) : null);
  const tools = document.getElementById('tools');
  const langs = h('div', { class: 'langs', role: 'group', 'aria-label': t('shell.language') },
    Object.entries(i18n.LANGUAGES).map(([code, l]) => h('button', {
      type: 'button', lang: code, 'aria-pressed': String(code === i18n.language()),
      onclick: () => switchLanguage(code),
    }, l.name)));
  replace(tools, langs, state.me ? [
    h('span', { class: 'who' }, t('shell.signedInAs', { user: state.me.username })),
    h('button', { type: 'button', class: 'secondary', onclick: logout }, t('shell.logout')),
  ] : null);
}

async function switchLanguage(code) {
  await i18n.load(code, namespaces, true);
  renderShell();
  await route();
  announce(i18n.t('shell.languageChanged'));
}

async function logout() {
  try { await api.del('/session'); } catch (e) { /* already ended: the login form is what follows anyway */ }
  state.me = null;
  renderShell();
  location.hash = '#/';
  await route();
  announce(i18n.t('shell.loggedOut'));
}

/** After a login: who is it, then the home page of the user's role. */
async function loggedIn(me) {
  state.me = me;
  renderShell();
  const target = homePath();
  if (location.hash === `#${target}`) await route();
  else location.hash = `#${target}`;
}

/** Renders the page for the current fragment. Fragments not starting with #/ (skip link) are left alone. */
async function route() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) return;
  const [path, search] = hash.slice(1).split('?');
  if (state.cleanup) { try { state.cleanup(); } catch (e) { /* a page's cleanup must not stop navigation */ } state.cleanup = null; }
  const main = document.getElementById('main');
  main.dataset.ready = 'false';
  const { t } = i18n;
  if (!state.me) {
    document.title = `${t('login.title')} – Verbund`;
    replace(main, h('h1', {}, t('login.title')));
    login(main, { t, onLogin: loggedIn });
    main.dataset.ready = 'true';
    return;
  }
  if (path === '/') {
    location.replace(`#${homePath()}`);
    return;
  }
  renderShell();
  let page = null;
  let params = null;
  for (const p of pages) {
    params = match(p.path, path);
    if (params) { page = p; break; }
  }
  if (!page || !visible(page)) {
    document.title = `${t('shell.notFound')} – Verbund`;
    replace(main, h('h1', {}, t('shell.notFound')), h('p', {}, t('shell.notFoundText')));
    main.dataset.ready = 'true';
    return;
  }
  const title = t(page.title);
  document.title = `${title} – Verbund`;
  const heading = h('h1', { tabindex: '-1' }, title);
  replace(main, heading);
  const token = {};
  state.current = token;
  const ctx = {
    me: state.me, params, query: new URLSearchParams(search || ''), t, has: i18n.has, fmt: i18n.fmt, api, h, announce,
    /** Whether this render is still the one on screen (after an await). */
    live: () => state.current === token,
    /** Renders the page again (after a change). */
    refresh: () => route(),
    onLeave: (fn) => { state.cleanup = fn; },
    can: (...roles) => roles.some((r) => state.me.roles.includes(r)),
  };
  try {
    await page.render(main, ctx);
  } catch (e) {
    if (state.current === token) main.append(errorBox(e, t));
  }
  if (state.current === token) {
    if (state.focusNext) heading.focus();
    state.focusNext = false;
    main.dataset.ready = 'true';
  }
}

/** An error as an alert box: the problem's detail (or the message). */
export function errorBox(e, t) {
  return h('div', { class: 'alert error', role: 'alert' },
    h('p', {}, h('strong', {}, t('shell.error')), ' ', e.message || String(e)));
}

async function start() {
  await i18n.load(i18n.chooseLanguage(), namespaces);
  api.setUnauthorizedHandler(() => {
    if (state.me) {
      state.me = null;
      renderShell();
      route();
      announce(i18n.t('shell.sessionEnded'));
    }
  });
  try {
    state.me = await api.get('/session');
  } catch (e) {
    state.me = null;
  }
  renderShell();
  window.addEventListener('hashchange', () => { state.focusNext = true; announce(''); route(); });
  await route();
}

start();
