// Languages: German and English. The language is the one stored by the switcher, else the
// browser's first preferred language we have (navigator.languages), else German. Messages are
// JSON files per language and namespace: /i18n/<lang>/<namespace>.json, flat keys
// ("portal.orders.title"), {name} placeholders. Dates, numbers and money are formatted by Intl
// in the language's locale (de-DE: 1.234,56 €; en-GB: €1,234.56), times in Europe/Berlin.

export const LANGUAGES = { de: { locale: 'de-DE', name: 'Deutsch' }, en: { locale: 'en-GB', name: 'English' } };
const STORE_KEY = 'verbund.lang';
const TIME_ZONE = 'Europe/Berlin';

let current = 'de';
let messages = {};

/** The language to start with: stored choice, then the browser's preferences, then German. */
export function chooseLanguage() {
  let stored = null;
  try { stored = localStorage.getItem(STORE_KEY); } catch (e) { stored = null; }
  if (stored && LANGUAGES[stored]) return stored;
  const prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'de'];
  for (const p of prefs) {
    const base = String(p).toLowerCase().split('-')[0];
    if (LANGUAGES[base]) return base;
  }
  return 'de';
}

/** Loads the message files of lang for the namespaces; sets <html lang>; remembers the choice when remember. */
export async function load(lang, namespaces, remember = false) {
  const parts = await Promise.all(namespaces.map(async (ns) => {
    const r = await fetch(`/i18n/${lang}/${ns}.json`, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`messages ${lang}/${ns}: HTTP ${r.status}`);
    return r.json();
  }));
  messages = Object.assign({}, ...parts);
  current = lang;
  document.documentElement.lang = lang;
  if (remember) {
    try { localStorage.setItem(STORE_KEY, lang); } catch (e) { /* private mode: the choice lasts this page */ }
  }
}

/** The current language code ('de' or 'en'). */
export function language() {
  return current;
}

/** The message for key with {name} placeholders filled from params; the key itself when missing. */
export function t(key, params) {
  const m = messages[key];
  if (m === undefined) {
    console.warn(`missing message ${current}:${key}`);
    return key;
  }
  return params ? m.replace(/\{(\w+)\}/g, (all, name) => (params[name] !== undefined ? String(params[name]) : all)) : m;
}

/** Whether a message exists (for optional texts such as a state's explanation). */
export function has(key) {
  return messages[key] !== undefined;
}

function locale() {
  return LANGUAGES[current].locale;
}

/** Locale-aware formatting. Amounts may be numbers or decimal strings (kept exact). */
export const fmt = {
  money(amount, currency = 'EUR', digits = 2) {
    if (amount === null || amount === undefined || amount === '') return '–';
    return new Intl.NumberFormat(locale(), { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: Math.max(digits, 4) })
      .format(String(amount));
  },
  number(n, digits) {
    if (n === null || n === undefined || n === '') return '–';
    const opts = digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
    return new Intl.NumberFormat(locale(), opts).format(String(n));
  },
  percent(fraction) {
    return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
  },
  dateTime(iso) {
    if (!iso) return '–';
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(iso));
  },
  date(iso) {
    if (!iso) return '–';
    const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: TIME_ZONE }).format(d);
  },
  /** A year-month such as "2026-11" as "November 2026". */
  month(ym) {
    if (!ym) return '–';
    return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${ym}-15T00:00:00Z`));
  },
  mib(n) {
    return n >= 1024 && n % 1024 === 0 ? `${fmt.number(n / 1024)} GiB` : `${fmt.number(n)} MiB`;
  },
};
