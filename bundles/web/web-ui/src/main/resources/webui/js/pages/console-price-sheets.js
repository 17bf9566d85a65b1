// Operator console: the price sheets and their prices (every version).
import { table } from '../dom.js';

export default {
  path: '/console/price-sheets',
  title: 'console.prices.title',
  nav: { section: 'console', order: 70 },
  roles: ['sid-admin', 'billing-clerk'],
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const sheets = await api.all('/price-sheets', 200);
    if (sheets.length === 0) main.append(h('p', {}, t('common.none')));
    for (const s of sheets) {
      main.append(h('h2', {}, t('console.prices.sheet', { name: s.name, version: s.version })),
        h('p', {}, t('console.prices.valid', { from: fmt.dateTime(s.validFrom), to: s.validTo ? fmt.dateTime(s.validTo) : '–' })),
        table(t('console.prices.caption', { name: s.name }), [
          { label: t('console.prices.metric'), render: (p) => (ctx.has(`metric.${p.metric}`) ? t(`metric.${p.metric}`) : p.metric) },
          { label: t('console.prices.qualifier'), render: (p) => h('span', { class: 'mono' }, p.qualifier || '–') },
          { label: t('console.prices.unit'), render: (p) => p.unit },
          { label: t('console.prices.unitPrice'), numeric: true, render: (p) => fmt.money(p.unitPrice, 'EUR', 4) },
        ], s.prices, t('common.none')));
    }
  },
};
