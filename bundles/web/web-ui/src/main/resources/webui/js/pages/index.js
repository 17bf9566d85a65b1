// The pages of the web application. To add a page: write a module in this folder that exports
// default { path, title, nav, roles, render } (see docs/design-notes.md "Web UI: adding a page"),
// import it here and add it to `pages`; put its texts in i18n/de/<namespace>.json and
// i18n/en/<namespace>.json and list a new namespace in `namespaces`.
import portalCatalogue from './portal-catalogue.js';
import portalOrder from './portal-order.js';
import portalOrders from './portal-orders.js';
import portalVms from './portal-vms.js';
import portalCosts from './portal-costs.js';
import portalUsers from './portal-users.js';
import billingDocuments from './billing-documents.js';
import billingDocument from './billing-document.js';
import consoleHosts from './console-hosts.js';
import consoleVms from './console-vms.js';
import consoleApprovals from './console-approvals.js';
import consolePlacement from './console-placement.js';
import consoleDevices from './console-devices.js';
import consoleAuthorities from './console-authorities.js';
import consolePriceSheets from './console-price-sheets.js';
import consoleAudit from './console-audit.js';
import monitoringOverview from './monitoring-overview.js';
import monitoringDevice from './monitoring-device.js';

/** Navigation sections in the order shown; each has the message key nav.section.<name>. */
export const sections = ['portal', 'billing', 'console', 'monitoring'];

/** Message files loaded for every page (i18n/<lang>/<namespace>.json). */
export const namespaces = ['common', 'portal', 'console', 'billing', 'monitoring'];

export const pages = [
  portalCatalogue, portalOrder, portalOrders, portalVms, portalCosts, portalUsers,
  billingDocuments, billingDocument,
  consoleHosts, consoleVms, consoleApprovals, consolePlacement, consoleDevices, consoleAuthorities,
  consolePriceSheets, consoleAudit,
  monitoringOverview, monitoringDevice,
];
