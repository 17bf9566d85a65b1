// Authority portal: the catalogue with prices.
import { AUTHORITY, AUTHORITY_ORDER } from '../roles.js';
import { size } from '../ui.js';

export default {
  path: '/portal/catalogue',
  title: 'portal.catalogue.title',
  nav: { section: 'portal', order: 10 },
  roles: AUTHORITY,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const offerings = (await api.all('/offerings')).filter((o) => o.active).sort((a, b) => a.sizing.vcpu - b.sizing.vcpu);
    const mayOrder = ctx.can(...AUTHORITY_ORDER);
    main.append(h('p', {}, t('portal.catalogue.intro')),
      h('ul', { class: 'cards plain', 'aria-label': t('portal.catalogue.title') }, offerings.map((o) => h('li', { class: 'card' },
        h('h2', {}, o.name),
        h('p', {}, size(ctx, o.sizing.vcpu, o.sizing.ramMib, o.sizing.diskGib)),
        h('p', {}, o.price ? [h('strong', {}, t('common.perMonth', { price: fmt.money(o.price.perMonthEur) })), ' · ',
          t('common.perHour', { price: fmt.money(o.price.perHourEur, 'EUR', 4) })] : t('portal.catalogue.noPrice')),
        h('p', {}, t(`approval.${o.approval}`)),
        mayOrder ? h('a', { class: 'button', href: `#/portal/order?offering=${encodeURIComponent(o.code)}`, 'aria-label': t('portal.catalogue.orderThis', { name: o.name }) },
          t('portal.catalogue.order')) : null))));
  },
};
