// Authority portal: this month's cost against the budget, the usage of this month, and the
// invoices with their documents (CSV, XRechnung UBL, PDF).
import { AUTHORITY } from '../roles.js';
import { table, bar } from '../dom.js';
import { badge, download } from '../ui.js';

export default {
  path: '/portal/costs',
  title: 'portal.costs.title',
  nav: { section: 'portal', order: 50 },
  roles: AUTHORITY,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const id = encodeURIComponent(ctx.me.authorityId);
    const [quota, usage, invoices] = await Promise.all([
      api.get(`/quotas/${id}`), api.all(`/usage?authority=${id}`, 500), api.all(`/invoices?authority=${id}`, 200)]);
    const b = quota.budget;
    main.append(h('section', { class: 'card', 'aria-labelledby': 'budget-h' },
      h('h2', { id: 'budget-h' }, t('portal.costs.month')),
      b && b.monthlyEur != null
        ? bar(t('portal.order.budget', { used: fmt.money(b.monthToDateEur), total: fmt.money(b.monthlyEur) }), Number(b.monthToDateEur), Number(b.monthlyEur))
        : h('p', {}, t('portal.costs.monthToDate', { cost: fmt.money(b ? b.monthToDateEur : 0) }))));
    main.append(h('h2', {}, t('portal.costs.usage')), table(t('portal.costs.usageCaption'), [
      { label: t('portal.costs.resource'), render: (u) => h('span', { class: 'mono' }, u.resourceName || u.resourceId) },
      { label: t('common.size'), render: (u) => (u.offeringCode ? h('span', { class: 'mono' }, u.offeringCode) : (u.metric || '–')) },
      { label: t('portal.costs.running'), render: (u) => (u.kind === 'SEGMENT' || u.metric == null ? t(u.running ? 'common.yes' : 'common.no') : fmt.number(u.quantity)) },
      { label: t('portal.costs.from'), render: (u) => fmt.dateTime(u.start) },
      { label: t('portal.costs.to'), render: (u) => fmt.dateTime(u.end) },
    ], usage, t('portal.costs.noUsage')));
    main.append(h('h2', {}, t('portal.costs.invoices')), table(t('portal.costs.invoicesCaption'), [
      { label: t('portal.costs.number'), render: (i) => i.number || t('portal.costs.draft') },
      { label: t('portal.costs.period'), render: (i) => fmt.month(i.period) },
      { label: t('common.state'), render: (i) => badge(ctx, i.state) },
      { label: t('portal.costs.net'), numeric: true, render: (i) => fmt.money(i.net, i.currency) },
      { label: t('portal.costs.gross'), numeric: true, render: (i) => fmt.money(i.gross, i.currency) },
      { label: t('portal.costs.documents'), render: (i) => h('div', { class: 'actions' },
        [['CSV', 'text/csv', 'csv'], ['XRechnung', 'application/xml', 'xml'], ['PDF', 'application/pdf', 'pdf']].map(([label, type, ext]) =>
          h('button', {
            type: 'button', class: 'secondary', 'aria-label': t('portal.costs.download', { format: label, number: i.number || i.period }),
            onclick: () => download(`/invoices/${encodeURIComponent(i.number || i.id)}`, type, `${i.number || i.id}.${ext}`).catch((e) => ctx.announce(e.message)),
          }, label))) },
    ], invoices, t('portal.costs.noInvoices')));
  },
};
