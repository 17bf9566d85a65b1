// Monitoring dashboard: one device, live. Its state, its open alarms with acknowledge, the UPS
// (charge, runtime, load, on battery), a chart of an interface's traffic that grows with every
// poll, the interfaces and the sensors (temperature, humidity, power of PDUs, cooling units).
import { MONITORING } from '../roles.js';
import { table, field, replace } from '../dom.js';
import { connect } from '../live.js';
import { stateBadge, kindName, bits, alarmTable, acknowledge, alarmNews, liveIndicator } from './monitoring-common.js';

/** Chart.js (MIT, from its WebJar) is loaded on the first device page only: its UMD build sets globalThis.Chart. */
async function chartLibrary() {
  if (!globalThis.Chart) await import('/vendor/chartjs/chart.umd.js');
  return globalThis.Chart;
}

const MAX_POINTS = 120;

export default {
  path: '/monitoring/devices/:id',
  title: 'monitoring.device.title',
  roles: MONITORING,
  async render(main, ctx) {
    const { api, h, t, fmt, params } = ctx;
    const id = params.id;
    const [detail, alarms, overview, Chart] = await Promise.all([api.get(`/devices/${encodeURIComponent(id)}`),
      api.all(`/alarms?state=open&device=${encodeURIComponent(id)}`, 200), api.get('/dashboard/overview'), chartLibrary()]);
    if (!ctx.live()) return;
    const entry = overview.devices.find((d) => d.id === id) || {};
    const model = { detail, alarms, kind: entry.kind || String(detail.kind || '').toLowerCase(), ifIndex: null };
    document.title = `${t('monitoring.device.heading', { name: detail.name })} – Verbund`;
    main.querySelector('h1').textContent = t('monitoring.device.heading', { name: detail.name });

    const live = liveIndicator(ctx);
    const facts = h('dl', { class: 'facts' });
    const alarmsBox = h('section', { 'aria-labelledby': 'dev-alarms' });
    const upsBox = h('section', { 'aria-labelledby': 'dev-ups', class: 'ups-panel' });
    const ifBox = h('section', { 'aria-labelledby': 'dev-ifs' });
    const sensorsBox = h('section', { 'aria-labelledby': 'dev-sensors' });

    const renderFacts = () => {
      const s = model.detail.status || {};
      const state = !s.polled ? 'unknown' : (s.up ? 'up' : 'down');
      replace(facts,
        h('dt', {}, t('monitoring.device.state')), h('dd', { 'data-device-state': state }, stateBadge(ctx, state)),
        h('dt', {}, t('monitoring.device.kind')), h('dd', {}, kindName(ctx, model.kind)),
        h('dt', {}, t('monitoring.device.site')), h('dd', {}, model.detail.site || '–'),
        h('dt', {}, t('monitoring.device.lastPoll')), h('dd', {}, fmt.dateTime(s.lastPollAt)),
        s.problem ? [h('dt', {}, t('monitoring.device.problem')), h('dd', {}, s.problem)] : null,
        s.sysDescr ? [h('dt', {}, t('monitoring.device.sysDescr')), h('dd', {}, s.sysDescr)] : null);
    };

    const renderAlarms = () => {
      alarmsBox.replaceChildren(h('h2', { id: 'dev-alarms' }, t('monitoring.device.alarms')),
        alarmTable(ctx, t('monitoring.overview.alarmsCaption', { n: fmt.number(model.alarms.length) }), model.alarms,
          (a) => acknowledge(ctx, a)));
    };

    const renderUps = () => {
      const u = model.detail.ups;
      if (!u) { upsBox.replaceChildren(); upsBox.hidden = true; return; }
      upsBox.hidden = false;
      upsBox.replaceChildren(h('h2', { id: 'dev-ups' }, t('monitoring.ups.heading')),
        h('ul', { class: 'ups-tiles plain' },
          h('li', { class: `ups-tile ${u.onBattery ? 'bad' : 'ok'}`, 'data-ups': 'source' },
            h('span', { class: 'ups-label' }, t('monitoring.ups.source')),
            h('span', { class: 'ups-value', 'data-on-battery': String(!!u.onBattery) },
              t(u.onBattery ? 'monitoring.ups.onBattery' : 'monitoring.ups.onMains'))),
          h('li', { class: `ups-tile ${u.chargePercent != null && u.chargePercent < 50 ? 'bad' : 'ok'}`, 'data-ups': 'charge' },
            h('span', { class: 'ups-label' }, t('monitoring.ups.charge')),
            h('span', { class: 'ups-value' }, u.chargePercent == null ? '–' : fmt.percent(u.chargePercent / 100))),
          h('li', { class: 'ups-tile', 'data-ups': 'runtime' }, h('span', { class: 'ups-label' }, t('monitoring.ups.runtime')),
            h('span', { class: 'ups-value' }, u.runtimeSeconds == null ? '–'
              : t('monitoring.ups.minutes', { n: fmt.number(Math.round(u.runtimeSeconds / 60)) }))),
          h('li', { class: 'ups-tile', 'data-ups': 'load' }, h('span', { class: 'ups-label' }, t('monitoring.ups.load')),
            h('span', { class: 'ups-value' }, u.loadPercent == null ? '–' : fmt.percent(u.loadPercent / 100)))),
        h('dl', { class: 'facts' },
          h('dt', {}, t('monitoring.ups.batteryStatus')), h('dd', {}, u.batteryStatus || '–'),
          h('dt', {}, t('monitoring.ups.temperature')), h('dd', {},
            u.batteryTemperatureCelsius == null ? '–' : `${fmt.number(u.batteryTemperatureCelsius)} °C`)));
    };

    // the chart: one interface's received and sent bit/s, a point per poll
    const points = { in: [], out: [] };
    const canvas = h('canvas', { role: 'img', id: 'if-chart', 'aria-label': t('monitoring.if.chartEmpty') });
    const figure = h('figure', { class: 'chart', 'data-points': '0' }, h('div', { class: 'chart-box' }, canvas),
      h('figcaption', { id: 'if-chart-caption' }, ''));
    const styles = getComputedStyle(document.documentElement);
    const color = (name, fallback) => (styles.getPropertyValue(name) || fallback).trim();
    const chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [
        { label: t('monitoring.if.in'), data: points.in, borderColor: color('--brand', '#0b4f8a'), backgroundColor: color('--brand', '#0b4f8a'), pointRadius: 2 },
        { label: t('monitoring.if.out'), data: points.out, borderColor: '#8a3b00', backgroundColor: '#8a3b00', pointRadius: 2, borderDash: [6, 3] },
      ] },
      options: {
        animation: false, maintainAspectRatio: false, parsing: false,
        scales: {
          x: { type: 'linear', ticks: { color: '#333', maxTicksLimit: 8,
            callback: (v) => new Intl.DateTimeFormat(document.documentElement.lang === 'de' ? 'de-DE' : 'en-GB',
              { timeStyle: 'medium', timeZone: 'Europe/Berlin' }).format(new Date(v)) } },
          y: { beginAtZero: true, ticks: { color: '#333', callback: (v) => bits(ctx, v / 8) } },
        },
        plugins: { legend: { labels: { color: '#333' } } },
      },
    });
    const chosen = () => (model.detail.interfaces || []).find((i) => i.ifIndex === model.ifIndex);
    const ifName = (i) => i.ifName || i.ifDescr || String(i.ifIndex);
    const addPoint = () => {
      const i = chosen();
      const at = Date.parse((model.detail.status || {}).lastPollAt || '');
      if (!i || Number.isNaN(at) || i.inOctetsPerSecond == null) return;
      const last = points.in[points.in.length - 1];
      if (last && last.x === at) return;
      points.in.push({ x: at, y: i.inOctetsPerSecond * 8 });
      points.out.push({ x: at, y: (i.outOctetsPerSecond || 0) * 8 });
      if (points.in.length > MAX_POINTS) { points.in.shift(); points.out.shift(); }
      chart.update();
      figure.dataset.points = String(points.in.length);
      figure.dataset.lastIn = String(i.inOctetsPerSecond);
      canvas.setAttribute('aria-label', t('monitoring.if.chartLabel', { name: ifName(i), in: bits(ctx, i.inOctetsPerSecond),
        out: bits(ctx, i.outOctetsPerSecond) }));
    };
    /** Until the chart has points (or the user chose one): the busiest interface with a rate, else the first. */
    let userChose = false;
    const chooseDefault = () => {
      const ifs = model.detail.interfaces || [];
      if (model.ifIndex !== null && (userChose || points.in.length > 0) && ifs.some((i) => i.ifIndex === model.ifIndex)) return;
      const traffic = (i) => (i.inOctetsPerSecond || 0) + (i.outOctetsPerSecond || 0);
      const withRate = ifs.filter((i) => i.inOctetsPerSecond != null);
      const busiest = withRate.reduce((best, i) => (best === null || traffic(i) > traffic(best) ? i : best), null);
      model.ifIndex = busiest ? busiest.ifIndex : (ifs[0] ? ifs[0].ifIndex : null);
    };
    const select = h('select', { onchange: (ev) => {
      userChose = true;
      model.ifIndex = Number(ev.currentTarget.value);
      points.in.length = 0;
      points.out.length = 0;
      chart.update();
      figure.dataset.points = '0';
      canvas.setAttribute('aria-label', t('monitoring.if.chartEmpty'));
      addPoint();
      renderChartCaption();
    } });
    const renderChartCaption = () => {
      const i = chosen();
      figure.querySelector('figcaption').textContent = i ? t('monitoring.if.chart', { name: ifName(i) }) : '';
    };
    const ifTable = h('div');
    const renderInterfaces = () => {
      const ifs = model.detail.interfaces || [];
      if (ifs.length === 0) { ifBox.hidden = true; return; }
      ifBox.hidden = false;
      if (select.options.length !== ifs.length) {
        select.replaceChildren(...ifs.map((i) => h('option', { value: String(i.ifIndex) }, ifName(i))));
      }
      select.value = String(model.ifIndex);
      renderChartCaption();
      ifTable.replaceChildren(table(t('monitoring.if.caption', { n: fmt.number(ifs.length) }), [
        { label: t('monitoring.if.name'), render: (i) => h('span', { class: 'mono' }, ifName(i), i.ifAlias ? ` (${i.ifAlias})` : '') },
        { label: t('monitoring.if.oper'), render: (i) => i.operStatus || '–' },
        { label: t('monitoring.if.speed'), numeric: true, render: (i) => (i.speedBitsPerSecond ? bits(ctx, i.speedBitsPerSecond / 8) : '–') },
        { label: t('monitoring.if.in'), numeric: true, render: (i) => bits(ctx, i.inOctetsPerSecond) },
        { label: t('monitoring.if.out'), numeric: true, render: (i) => bits(ctx, i.outOctetsPerSecond) },
        { label: t('monitoring.if.util'), numeric: true, render: (i) => (i.inUtilizationPercent == null
          ? '–' : `${fmt.percent(i.inUtilizationPercent / 100)} / ${fmt.percent((i.outUtilizationPercent || 0) / 100)}`) },
      ], ifs, t('common.none')));
    };

    const renderSensors = () => {
      const sensors = model.detail.sensors || [];
      sensorsBox.replaceChildren(h('h2', { id: 'dev-sensors' }, t('monitoring.sensors.heading')),
        sensors.length === 0 ? h('p', {}, t('monitoring.sensors.none'))
          : table(t('monitoring.sensors.caption', { n: fmt.number(sensors.length) }), [
            { label: t('monitoring.sensors.name'), render: (s) => s.name || s.description || String(s.entPhysicalIndex) },
            { label: t('monitoring.sensors.type'), render: (s) => s.type || '–' },
            { label: t('monitoring.sensors.value'), numeric: true, render: (s) => (s.value == null ? '–'
              : `${fmt.number(s.value)} ${s.unit || ''}`.trim()) },
            { label: t('monitoring.sensors.status'), render: (s) => s.status || '–' },
          ], sensors, t('common.none')));
    };

    ifBox.append(h('h2', { id: 'dev-ifs' }, t('monitoring.if.heading')), field(t('monitoring.if.choose'), select), figure, ifTable);
    main.append(h('p', {}, h('a', { href: '#/monitoring' }, t('monitoring.device.back'))), live.el, facts, alarmsBox, upsBox,
      ifBox, sensorsBox);
    chooseDefault();
    renderFacts();
    renderAlarms();
    renderUps();
    renderInterfaces();
    renderSensors();
    addPoint();

    const reloadAlarms = async () => {
      model.alarms = await api.all(`/alarms?state=open&device=${encodeURIComponent(id)}`, 200);
      if (ctx.live()) renderAlarms();
    };
    const close = connect({
      state: (connected) => live.set(connected),
      poll: async (p) => {
        if (p.deviceId !== id) return;
        // the event carries the poll's values (also when another cluster node polled the device,
        // whose state this node's /api/devices does not have); without them, ask for the device
        model.detail = p.status ? { ...model.detail, status: p.status, interfaces: p.interfaces, sensors: p.sensors, ups: p.ups }
          : await api.get(`/devices/${encodeURIComponent(id)}`);
        if (!ctx.live()) return;
        chooseDefault();
        renderFacts();
        renderUps();
        renderInterfaces();
        renderSensors();
        addPoint();
      },
      alarm: async (a) => {
        if (a.sourceId !== id) return;
        await reloadAlarms();
        const news = alarmNews(ctx, a);
        if (news && ctx.live()) ctx.announce(news);
      },
    });
    ctx.onLeave(() => { close(); chart.destroy(); });
  },
};
