// Monitoring dashboard: the site overview (devices up/down by kind, every device by site) and the
// active alarms with acknowledge; updated live from the server's event stream, so a wall screen
// can show it all day.
import { MONITORING } from '../roles.js';
import { table } from '../dom.js';
import { connect } from '../live.js';
import { stateBadge, kindName, alarmTable, acknowledge, alarmNews, liveIndicator } from './monitoring-common.js';

export default {
  path: '/monitoring',
  title: 'monitoring.overview.title',
  nav: { section: 'monitoring', order: 10, label: 'monitoring.overview.nav' },
  roles: MONITORING,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const model = { devices: [], alarms: [] };
    const live = liveIndicator(ctx);
    const kindsBox = h('section', { 'aria-labelledby': 'mon-kinds' });
    const alarmsBox = h('section', { 'aria-labelledby': 'mon-alarms', class: 'mon-alarms' });
    const devicesBox = h('section', { class: 'mon-sites' });

    const load = async () => {
      const [overview, alarms] = await Promise.all([api.get('/dashboard/overview'), api.all('/alarms?state=open', 500)]);
      model.devices = overview.devices;
      model.alarms = alarms;
    };

    const renderKinds = () => {
      const counts = {};
      for (const d of model.devices) {
        const c = counts[d.kind] || (counts[d.kind] = { up: 0, down: 0, unknown: 0 });
        c[d.state] += 1;
      }
      kindsBox.replaceChildren(h('h2', { id: 'mon-kinds' }, t('monitoring.overview.kinds')),
        h('ul', { class: 'kind-tiles plain' }, Object.keys(counts).sort().map((k) => h('li', {
          class: `kind-tile ${counts[k].down > 0 ? 'has-down' : 'all-up'}`, 'data-kind': k,
          'data-up': counts[k].up, 'data-down': counts[k].down,
        }, h('h3', {}, kindName(ctx, k)),
        h('p', { class: 'kind-big' }, h('span', { class: 'kind-up' }, fmt.number(counts[k].up)),
          counts[k].down > 0 ? h('span', { class: 'kind-down' }, ` / ${fmt.number(counts[k].down)}`) : ''),
        h('p', {}, t('monitoring.overview.kindCounts', { up: fmt.number(counts[k].up), down: fmt.number(counts[k].down),
          unknown: fmt.number(counts[k].unknown) }))))));
    };

    const renderAlarms = () => {
      alarmsBox.replaceChildren(h('h2', { id: 'mon-alarms' }, t('monitoring.overview.alarms')),
        alarmTable(ctx, t('monitoring.overview.alarmsCaption', { n: fmt.number(model.alarms.length) }), model.alarms,
          (a) => acknowledge(ctx, a)));
    };

    const renderDevices = () => {
      const sites = [...new Set(model.devices.map((d) => d.site || '–'))].sort();
      devicesBox.replaceChildren(...(sites.length === 0 ? [h('p', {}, t('monitoring.overview.noDevices'))]
        : sites.map((site, i) => {
          const rows = model.devices.filter((d) => (d.site || '–') === site);
          const hid = `mon-site-${i}`;
          return h('section', { 'aria-labelledby': hid },
            h('h2', { id: hid }, t('monitoring.overview.devices', { site })),
            table(t('monitoring.overview.devicesCaption', { n: fmt.number(rows.length), site }), [
              { label: t('common.name'), render: (d) => h('a', { href: `#/monitoring/devices/${encodeURIComponent(d.id)}`,
                'data-device': d.name }, d.name) },
              { label: t('monitoring.device.kind'), render: (d) => kindName(ctx, d.kind) },
              { label: t('monitoring.device.state'), render: (d) => h('span', { 'data-state-of': d.name }, stateBadge(ctx, d.state)) },
              { label: t('monitoring.device.lastPoll'), render: (d) => fmt.dateTime(d.lastPollAt) },
              { label: t('monitoring.device.problem'), render: (d) => d.problem || '' },
            ], rows, t('common.none')));
        })));
    };

    await load();
    if (!ctx.live()) return;
    main.append(live.el, kindsBox, alarmsBox, devicesBox);
    renderKinds();
    renderAlarms();
    renderDevices();

    // one reload of the open alarms at a time; a change arriving meanwhile makes one more
    let loading = false;
    let again = false;
    const reloadAlarms = async () => {
      if (loading) { again = true; return; }
      loading = true;
      try {
        do {
          again = false;
          model.alarms = await api.all('/alarms?state=open', 500);
          if (ctx.live()) renderAlarms();
        } while (again && ctx.live());
      } finally {
        loading = false;
      }
    };
    const close = connect({
      state: (connected) => live.set(connected),
      poll: (p) => {
        const d = model.devices.find((x) => x.id === p.deviceId);
        if (!d) return;
        const state = p.up ? 'up' : 'down';
        const changed = d.state !== state;
        Object.assign(d, { state, lastPollAt: p.at, problem: p.problem });
        if (changed) renderKinds();
        renderDevices();
      },
      alarm: async (a) => {
        await reloadAlarms();
        const news = alarmNews(ctx, a);
        if (news && ctx.live()) ctx.announce(news);
      },
      'device-removed': (r) => {
        model.devices = model.devices.filter((x) => x.id !== r.deviceId);
        renderKinds();
        renderDevices();
      },
    });
    ctx.onLeave(close);
  },
};
