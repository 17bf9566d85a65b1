// The pages of the web application. To add a page: write a module in this folder that exports
// default { path, title, nav, roles, render } (see docs/design-notes.md "Web UI: adding a page"),
// import it here and add it to `pages`; put its texts in i18n/de/<namespace>.json and
// i18n/en/<namespace>.json and list a new namespace in `namespaces`.
import catalogue from './portal-catalogue.js';

/** Navigation sections in the order shown; each has the message key nav.section.<name>. */
export const sections = ['portal', 'console', 'monitoring'];

/** Message files loaded for every page (i18n/<lang>/<namespace>.json). */
export const namespaces = ['common', 'portal', 'console'];

export const pages = [
  catalogue,
];
