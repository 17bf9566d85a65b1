// Operator console: orders awaiting the SID operators' approval, and every open order.
import { OPERATOR } from '../roles.js';
import { table } from '../dom.js';
import { badge, authorityNames } from '../ui.js';
import { nextStep, decisionButtons } from './portal-orders.js';

export default {
  path: '/console/approvals',
  title: 'console.approvals.title',
  nav: { section: 'console', order: 30 },
  roles: OPERATOR,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const [orders, names] = await Promise.all([api.all('/orders?state=SUBMITTED', 1000), authorityNames(ctx)]);
    const mine = orders.filter((o) => nextStep(o) === 'sid-operator');
    const others = orders.filter((o) => nextStep(o) !== 'sid-operator');
    const columns = (withActions) => [
      { label: t('common.name'), render: (o) => h('span', { class: 'mono' }, o.name || '–') },
      { label: t('common.authority'), render: (o) => names[o.tenantId] || o.tenantId },
      { label: t('orders.offering'), render: (o) => (o.offered ? o.offered.name : t(`orders.kind.${o.kind}`)) },
      { label: t('orders.quantity'), numeric: true, render: (o) => fmt.number(o.quantity) },
      { label: t('common.state'), render: (o) => [badge(ctx, o.state), nextStep(o) ? h('div', { class: 'muted' }, t(`orders.waitingFor.${nextStep(o)}`)) : null] },
      { label: t('orders.requestedBy'), render: (o) => o.requestedByName },
      { label: t('common.created'), render: (o) => fmt.dateTime(o.createdAt) },
      withActions ? { label: t('common.actions'), render: (o) => h('div', { class: 'actions' }, decisionButtons(ctx, o)) } : null,
    ].filter(Boolean);
    main.append(table(t('console.approvals.caption'), columns(true), mine, t('console.approvals.none')));
    main.append(h('h2', {}, t('console.approvals.others')), table(t('console.approvals.othersCaption'), columns(false), others, t('common.none')));
  },
};
