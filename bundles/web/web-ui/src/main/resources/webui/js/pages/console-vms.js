// Operator console: every VM, filtered by authority, host and state (the filters are in the URL).
import { OPERATOR } from '../roles.js';
import { table, field } from '../dom.js';
import { badge, action, size, authorityNames } from '../ui.js';

const STATES = ['PROVISIONING', 'RUNNING', 'PAUSED', 'STOPPED', 'UNKNOWN', 'FAILED', 'DELETED'];

export default {
  path: '/console/vms',
  title: 'console.vms.title',
  nav: { section: 'console', order: 20 },
  roles: OPERATOR,
  async render(main, ctx) {
    const { api, h, t, fmt, query } = ctx;
    const q = new URLSearchParams();
    for (const k of ['tenantId', 'hostId', 'state']) if (query.get(k)) q.set(k, query.get(k));
    const [vms, hosts, names] = await Promise.all([api.all(`/vms${q.toString() ? `?${q}` : ''}`, 2000), api.get('/hosts'), authorityNames(ctx)]);
    const hostNames = Object.fromEntries(hosts.map((x) => [x.id, x.name]));
    const select = (name, options, current) => h('select', { name },
      h('option', { value: '' }, t('common.all')),
      options.map(([v, label]) => h('option', { value: v, selected: v === current }, label)));
    const tenant = select('tenantId', Object.entries(names), query.get('tenantId'));
    const host = select('hostId', hosts.map((x) => [x.id, x.name]), query.get('hostId'));
    const state = select('state', STATES.map((s) => [s, t(`state.${s}`)]), query.get('state'));
    main.append(h('form', {
      class: 'filters', role: 'search', 'aria-label': t('common.filter'),
      onsubmit: (ev) => {
        ev.preventDefault();
        const n = new URLSearchParams();
        for (const el of [tenant, host, state]) if (el.value) n.set(el.name, el.value);
        location.hash = `#/console/vms${n.toString() ? `?${n}` : ''}`;
      },
    }, field(t('common.authority'), tenant), field(t('common.host'), host), field(t('common.state'), state),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, t('common.filter')))));
    main.append(table(t('console.vms.caption', { n: fmt.number(vms.length) }), [
      { label: t('common.name'), render: (v) => h('span', { class: 'mono' }, v.name) },
      { label: t('common.authority'), render: (v) => names[v.tenantId] || v.tenantId },
      { label: t('common.host'), render: (v) => hostNames[v.hostId] || '–' },
      { label: t('common.size'), render: (v) => size(ctx, v.vcpu, v.ramMib, v.diskGib) },
      { label: t('common.state'), render: (v) => badge(ctx, v.state) },
      { label: t('common.actions'), render: (v) => h('div', { class: 'actions' },
        v.state === 'STOPPED' ? action(ctx, t('vms.start'), t('vms.startNamed', { name: v.name }), () => api.post(`/vms/${v.id}/start`), t('vms.started', { name: v.name })) : null,
        v.state === 'RUNNING' ? action(ctx, t('vms.stop'), t('vms.stopNamed', { name: v.name }), () => api.post(`/vms/${v.id}/stop`), t('vms.stopped', { name: v.name })) : null) },
    ], vms, t('common.none')));
  },
};
