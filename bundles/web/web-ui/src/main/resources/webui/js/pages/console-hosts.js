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
    // allocation and capacity (after overcommit and reserve) come from the server, as placement sees them;
    // the VM count is for the operator's orientation
    const [hosts, vms] = await Promise.all([api.get('/hosts'), api.all('/vms', 5000)]);
    const count = {};
    for (const v of vms.filter((x) => HOLDING.includes(x.state))) count[v.hostId] = (count[v.hostId] || 0) + 1;
    main.append(table(t('console.hosts.caption'), [
      { label: t('common.name'), render: (x) => [h('span', { class: 'mono' }, x.name), h('div', { class: 'muted' }, x.site)] },
      { label: t('common.state'), render: (x) => badge(ctx, x.state) },
      { label: t('common.vcpu'), render: (x) => bar(t('console.hosts.of', { used: fmt.number(x.allocated.vcpu), total: fmt.number(x.capacity.vcpu) }),
        x.allocated.vcpu, x.capacity.vcpu) },
      { label: t('common.ram'), render: (x) => bar(t('console.hosts.of', { used: fmt.mib(x.allocated.ramMib), total: fmt.mib(x.capacity.ramMib) }),
        x.allocated.ramMib, x.capacity.ramMib) },
      { label: t('common.disk'), render: (x) => bar(t('console.hosts.of', { used: `${fmt.number(x.allocated.diskGib)} GiB`, total: `${fmt.number(x.capacity.diskGib)} GiB` }),
        x.allocated.diskGib, x.capacity.diskGib) },
      { label: t('console.hosts.vms'), numeric: true, render: (x) => fmt.number(count[x.id] || 0) },
      { label: t('common.actions'), render: (x) => (x.state === 'MAINTENANCE'
        ? action(ctx, t('console.hosts.endMaintenance'), t('console.hosts.endMaintenanceNamed', { name: x.name }),
          () => api.post(`/hosts/${x.id}/maintenance`, { maintenance: false }), t('console.hosts.maintenanceEnded', { name: x.name }))
        : action(ctx, t('console.hosts.maintenance'), t('console.hosts.maintenanceNamed', { name: x.name }),
          () => api.post(`/hosts/${x.id}/maintenance`, { maintenance: true }), t('console.hosts.maintenanceStarted', { name: x.name }))) },
    ], hosts, t('common.none')));
  },
};
