// Operator console: hosts with their capacity (what their VMs hold against cores and RAM after
// overcommit and reserve) and maintenance mode.
import { OPERATOR } from '../roles.js';
import { table, bar } from '../dom.js';
import { badge, action } from '../ui.js';

const HOLDING = ['PROVISIONING', 'RUNNING', 'PAUSED', 'STOPPED', 'UNKNOWN'];

export default {
  path: '/console/hosts',
  title: 'console.hosts.title',
  nav: { section: 'console', order: 10 },
  roles: OPERATOR,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const [hosts, vms] = await Promise.all([api.get('/hosts'), api.all('/vms', 5000)]);
    const held = {};
    for (const v of vms.filter((x) => HOLDING.includes(x.state))) {
      const s = held[v.hostId] || (held[v.hostId] = { vcpu: 0, ram: 0, disk: 0, n: 0 });
      s.vcpu += v.vcpu; s.ram += v.ramMib; s.disk += v.diskGib; s.n += 1;
    }
    main.append(table(t('console.hosts.caption'), [
      { label: t('common.name'), render: (x) => [h('span', { class: 'mono' }, x.name), h('div', { class: 'muted' }, x.site)] },
      { label: t('common.state'), render: (x) => badge(ctx, x.state) },
      { label: t('common.vcpu'), render: (x) => {
        const s = held[x.id] || { vcpu: 0 };
        const cap = Math.floor(x.cpuCores * Number(x.cpuOvercommit));
        return bar(t('console.hosts.of', { used: fmt.number(s.vcpu), total: fmt.number(cap) }), s.vcpu, cap);
      } },
      { label: t('common.ram'), render: (x) => {
        const s = held[x.id] || { ram: 0 };
        const cap = Math.floor((x.ramMib - x.ramReserveMib) * Number(x.ramOvercommit));
        return bar(t('console.hosts.of', { used: fmt.mib(s.ram), total: fmt.mib(cap) }), s.ram, cap);
      } },
      { label: t('common.disk'), render: (x) => {
        const s = held[x.id] || { disk: 0 };
        return bar(t('console.hosts.of', { used: `${fmt.number(s.disk)} GiB`, total: `${fmt.number(x.diskGib)} GiB` }), s.disk, x.diskGib);
      } },
      { label: t('console.hosts.vms'), numeric: true, render: (x) => fmt.number((held[x.id] || { n: 0 }).n) },
      { label: t('common.actions'), render: (x) => (x.state === 'MAINTENANCE'
        ? action(ctx, t('console.hosts.endMaintenance'), t('console.hosts.endMaintenanceNamed', { name: x.name }),
          () => api.post(`/hosts/${x.id}/maintenance`, { maintenance: false }), t('console.hosts.maintenanceEnded', { name: x.name }))
        : action(ctx, t('console.hosts.maintenance'), t('console.hosts.maintenanceNamed', { name: x.name }),
          () => api.post(`/hosts/${x.id}/maintenance`, { maintenance: true }), t('console.hosts.maintenanceStarted', { name: x.name }))) },
    ], hosts, t('common.none')));
  },
};
