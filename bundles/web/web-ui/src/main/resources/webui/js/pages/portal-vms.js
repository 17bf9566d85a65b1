// Authority portal: the authority's VMs, with start and stop.
import { AUTHORITY } from '../roles.js';
import { table } from '../dom.js';
import { badge, action, size } from '../ui.js';

export default {
  path: '/portal/vms',
  title: 'portal.vms.title',
  nav: { section: 'portal', order: 40 },
  roles: AUTHORITY,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const vms = (await api.all('/vms', 500)).filter((v) => v.state !== 'DELETED');
    const operate = ctx.can('authority-admin', 'authority-user');
    main.append(table(t('portal.vms.caption'), [
      { label: t('common.name'), render: (v) => h('span', { class: 'mono' }, v.name) },
      { label: t('common.size'), render: (v) => [v.offeringId ? h('span', { class: 'mono' }, v.offeringId) : null, ' ', size(ctx, v.vcpu, v.ramMib, v.diskGib)] },
      { label: t('common.state'), render: (v) => badge(ctx, v.state) },
      { label: t('common.created'), render: (v) => fmt.dateTime(v.createdAt) },
      { label: t('common.actions'), render: (v) => (operate ? h('div', { class: 'actions' },
        v.state === 'STOPPED' ? action(ctx, t('vms.start'), t('vms.startNamed', { name: v.name }), () => api.post(`/vms/${v.id}/start`), t('vms.started', { name: v.name })) : null,
        v.state === 'RUNNING' ? action(ctx, t('vms.stop'), t('vms.stopNamed', { name: v.name }), () => api.post(`/vms/${v.id}/stop`), t('vms.stopped', { name: v.name })) : null) : '–') },
    ], vms, t('portal.vms.none')));
  },
};
