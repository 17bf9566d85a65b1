// Operator console: the SNMP devices (the monitoring dashboard shows their live state).
import { MONITORING } from '../roles.js';
import { table } from '../dom.js';

export default {
  path: '/console/devices',
  title: 'console.devices.title',
  nav: { section: 'console', order: 50 },
  roles: MONITORING,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const devices = await api.all('/devices', 2000);
    main.append(table(t('console.devices.caption', { n: fmt.number(devices.length) }), [
      { label: t('common.name'), render: (d) => h('span', { class: 'mono' }, d.name) },
      { label: t('console.devices.kind'), render: (d) => (ctx.has(`kind.${d.kind}`) ? t(`kind.${d.kind}`) : d.kind) },
      { label: t('console.devices.site'), render: (d) => d.site || '–' },
      { label: t('console.devices.address'), render: (d) => h('span', { class: 'mono' }, `${d.address}:${d.port}`) },
      { label: t('console.devices.interval'), numeric: true, render: (d) => t('console.devices.seconds', { n: fmt.number(d.pollIntervalS) }) },
    ], devices, t('common.none')));
  },
};
