// Operator console: where a VM of a given size would be placed, and why not on the other hosts.
import { OPERATOR } from '../roles.js';
import { table, field } from '../dom.js';

export default {
  path: '/console/placement',
  title: 'console.placement.title',
  nav: { section: 'console', order: 40 },
  roles: OPERATOR,
  async render(main, ctx) {
    const { api, h, t } = ctx;
    const num = (name, value, min) => h('input', { name, type: 'number', min: String(min), value: String(value), required: true });
    const vcpu = num('vcpu', 2, 1);
    const ram = num('ramMib', 4096, 256);
    const disk = num('diskGib', 20, 1);
    const site = h('input', { name: 'site', autocomplete: 'off' });
    const result = h('div', { 'aria-live': 'polite' });
    main.append(h('form', {
      class: 'card', 'aria-labelledby': 'dry-h',
      onsubmit: async (ev) => {
        ev.preventDefault();
        result.replaceChildren();
        try {
          const body = { vcpu: Number(vcpu.value), ramMib: Number(ram.value), diskGib: Number(disk.value) };
          if (site.value.trim()) body.site = site.value.trim();
          const d = await api.post('/placement/dry-run', body);
          const chosen = d.verdicts.find((v) => v.hostId === d.hostId);
          result.append(h('p', { class: `alert ${chosen ? 'ok' : 'error'}` }, chosen ? t('console.placement.chosen', { host: chosen.hostName }) : t('console.placement.nowhere')),
            table(t('console.placement.caption'), [
              { label: t('common.host'), render: (v) => h('span', { class: 'mono' }, v.hostName) },
              { label: t('console.placement.fits'), render: (v) => t(v.fits ? 'common.yes' : 'common.no') },
              { label: t('console.placement.reason'), render: (v) => v.reason },
            ], d.verdicts, t('common.none')));
        } catch (e) {
          result.append(h('p', { class: 'alert error', role: 'alert' }, e.message));
        }
      },
    },
    h('h2', { id: 'dry-h' }, t('console.placement.form')),
    field(t('common.vcpu'), vcpu), field(t('console.placement.ramMib'), ram), field(t('console.placement.diskGib'), disk),
    field(t('portal.order.site'), site, t('console.placement.siteHint')),
    h('button', { type: 'submit' }, t('console.placement.submit'))), result);
  },
};
