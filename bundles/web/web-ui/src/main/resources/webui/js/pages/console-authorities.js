// Operator console: the authorities (tenants) with their quota use and budget.
import { SID_READ } from '../roles.js';
import { table, bar } from '../dom.js';

export default {
  path: '/console/authorities',
  title: 'console.authorities.title',
  nav: { section: 'console', order: 60 },
  roles: SID_READ,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const [authorities, quotas] = await Promise.all([api.all('/authorities', 2000), api.all('/quotas', 2000)]);
    const byId = Object.fromEntries(quotas.map((q) => [q.authorityId, q]));
    const names = Object.fromEntries(authorities.map((a) => [a.id, a.name]));
    main.append(table(t('console.authorities.caption'), [
      { label: t('common.name'), render: (a) => [a.name, h('div', { class: 'muted' }, t(`authorityKind.${a.kind}`))] },
      { label: t('console.authorities.parent'), render: (a) => (a.parentId ? names[a.parentId] || a.parentId : '–') },
      { label: t('console.authorities.costCentre'), render: (a) => h('span', { class: 'mono' }, a.costCentre || '–') },
      { label: t('common.vcpu'), render: (a) => {
        const q = byId[a.id];
        return q && q.quota ? bar(t('console.hosts.of', { used: fmt.number(q.reserved.vcpu), total: fmt.number(q.quota.vcpu) }), q.reserved.vcpu, q.quota.vcpu) : '–';
      } },
      { label: t('console.authorities.budget'), render: (a) => {
        const b = byId[a.id] && byId[a.id].budget;
        return b && b.monthlyEur != null ? t('portal.order.budget', { used: fmt.money(b.monthToDateEur), total: fmt.money(b.monthlyEur) }) : '–';
      } },
    ], authorities, t('common.none')));
  },
};
