// Authority portal: the order form, with the authority's quota and budget beside it.
import { AUTHORITY_ORDER } from '../roles.js';
import { field, bar } from '../dom.js';
import { size as sizeText } from '../ui.js';

function quotaFacts(ctx, q) {
  const { h, t, fmt } = ctx;
  const rows = [
    [t('common.vcpu'), q.reserved.vcpu, q.quota.vcpu, (v) => fmt.number(v)],
    [t('common.ram'), q.reserved.ramMib, q.quota.ramMib, (v) => fmt.mib(v)],
    [t('common.disk'), q.reserved.diskGib, q.quota.diskGib, (v) => `${fmt.number(v)} GiB`],
    [t('portal.order.vms'), q.reserved.vms, q.quota.vms, (v) => fmt.number(v)],
  ];
  const b = q.budget;
  return h('section', { class: 'card', 'aria-labelledby': 'quota-h' },
    h('h2', { id: 'quota-h' }, t('portal.order.quota', { name: q.name })),
    h('ul', { class: 'plain' }, rows.map(([label, used, total, f]) => h('li', {},
      bar(t('portal.order.used', { what: label, used: f(used), total: f(total) }), used, total)))),
    b ? h('p', {}, b.monthlyEur != null
      ? [t('portal.order.budget', { used: fmt.money(b.monthToDateEur), total: fmt.money(b.monthlyEur) }),
        b.hardLimitReached ? h('strong', {}, ` ${t('portal.order.budgetExhausted')}`) : b.softThresholdReached ? h('strong', {}, ` ${t('portal.order.budgetSoft')}`) : null]
      : t('portal.order.noBudget')) : null);
}

export default {
  path: '/portal/order',
  title: 'portal.order.title',
  nav: { section: 'portal', order: 20 },
  roles: AUTHORITY_ORDER,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const [offerings, quota] = await Promise.all([
      api.all('/offerings'), api.get(`/quotas/${encodeURIComponent(ctx.me.authorityId)}`)]);
    const active = offerings.filter((o) => o.active).sort((a, b) => a.sizing.vcpu - b.sizing.vcpu);
    const wanted = ctx.query.get('offering');
    const offering = h('select', { name: 'offering', required: true }, active.map((o) => h('option', { value: o.code, selected: o.code === wanted },
      `${o.name} – ${sizeText(ctx, o.sizing.vcpu, o.sizing.ramMib, o.sizing.diskGib)}${o.price ? ` – ${t('common.perMonth', { price: fmt.money(o.price.perMonthEur) })}` : ''}`)));
    const name = h('input', { name: 'name', required: true, pattern: '[a-z][a-z0-9-]{0,59}', autocomplete: 'off' });
    const quantity = h('input', { name: 'quantity', type: 'number', min: '1', max: '20', value: '1', required: true });
    const site = h('input', { name: 'site', autocomplete: 'off' });
    const error = h('div', { class: 'form-error' });
    const form = h('form', {
      class: 'card', 'aria-labelledby': 'order-h',
      onsubmit: async (ev) => {
        ev.preventDefault();
        error.replaceChildren();
        const body = { offering: offering.value, name: name.value.trim(), quantity: Number(quantity.value) };
        if (site.value.trim()) body.parameters = { site: site.value.trim() };
        try {
          const r = await api.post('/orders', body);
          ctx.announce(t('portal.order.submitted', { name: body.name, state: t(`state.${r.order.state}`) }));
          location.hash = '#/portal/orders';
        } catch (e) {
          error.replaceChildren(h('p', { role: 'alert' }, e.message));
        }
      },
    },
    h('h2', { id: 'order-h' }, t('portal.order.form')),
    field(t('portal.order.offering'), offering),
    field(t('portal.order.name'), name, t('portal.order.nameHint')),
    field(t('portal.order.quantity'), quantity),
    field(t('portal.order.site'), site, t('portal.order.siteHint')),
    error,
    h('button', { type: 'submit' }, t('portal.order.submit')));
    main.append(h('div', { class: 'two-col' }, form, quotaFacts(ctx, quota)));
  },
};
