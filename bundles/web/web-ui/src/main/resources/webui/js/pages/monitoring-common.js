// Pieces shared by the monitoring dashboard's pages: alarm tables with acknowledge, state and
// severity badges, rates. The pages update in place from the live feed (../live.js).
import { h, table } from '../dom.js';

const SEVERITY_TONES = { critical: 'bad', major: 'bad', minor: 'warn', warning: 'warn', indeterminate: 'neutral' };
const STATE_TONES = { up: 'ok', down: 'bad', unknown: 'neutral' };

export function stateBadge(ctx, state) {
  return h('span', { class: `badge ${STATE_TONES[state] || 'neutral'}` }, ctx.t(`monitoring.state.${state}`));
}

export function severityBadge(ctx, severity) {
  const s = String(severity || '').toLowerCase();
  return h('span', { class: `badge ${SEVERITY_TONES[s] || 'neutral'}` },
    ctx.has(`monitoring.severity.${s}`) ? ctx.t(`monitoring.severity.${s}`) : s);
}

export function kindName(ctx, kind) {
  const k = String(kind || 'other').toLowerCase();
  return ctx.has(`monitoring.kind.${k}`) ? ctx.t(`monitoring.kind.${k}`) : k;
}

/** Bits per second of an octet rate, in the user's locale: "1,2 Mbit/s". */
export function bits(ctx, octetsPerSecond) {
  if (octetsPerSecond == null) return '–';
  let v = octetsPerSecond * 8;
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u += 1; }
  return `${ctx.fmt.number(Math.round(v * 10) / 10)} ${units[u]}`;
}

/** The alarms table: severity, device (linked), description, since, state, and an acknowledge button for active ones. */
export function alarmTable(ctx, caption, alarms, onAck) {
  const { t, h: el, fmt } = ctx;
  return table(caption, [
    { label: t('monitoring.alarm.severity'), render: (a) => severityBadge(ctx, a.severity) },
    { label: t('monitoring.alarm.device'), render: (a) => (a.sourceKind === 'DEVICE' && a.sourceId
      ? el('a', { href: `#/monitoring/devices/${encodeURIComponent(a.sourceId)}` }, a.sourceName || a.sourceId)
      : (a.sourceName || a.sourceId || '–')) },
    { label: t('monitoring.alarm.description'), render: (a) => a.description || a.type },
    { label: t('monitoring.alarm.since'), render: (a) => fmt.dateTime(a.firstSeen) },
    { label: t('monitoring.alarm.state'), render: (a) => el('span', { 'data-alarm-state': a.state },
      t(`monitoring.alarm.state.${a.state}`), a.acknowledgedBy ? ` (${t('monitoring.alarm.ackedBy', { by: a.acknowledgedBy })})` : '') },
    { label: t('common.actions'), render: (a) => (a.state === 'ACTIVE' && ctx.can('sid-admin', 'sid-operator', 'monitoring')
      ? el('button', { type: 'button', class: 'secondary', 'data-ack': a.id,
        'aria-label': t('monitoring.alarm.ackName', { type: a.type, device: a.sourceName || '' }),
        onclick: async (ev) => {
          const button = ev.currentTarget;
          button.disabled = true;
          try {
            await onAck(a);
          } catch (e) {
            button.disabled = false;
            ctx.announce(`${t('shell.error')} ${e.message || e}`);
          }
        } }, t('monitoring.alarm.ack'))
      : '') },
  ], alarms, t('monitoring.alarm.none'));
}

/** Acknowledges an alarm; the live feed then updates every open dashboard, this one included. */
export async function acknowledge(ctx, alarm) {
  await ctx.api.post(`/alarms/${encodeURIComponent(alarm.id)}/ack`, {});
  ctx.announce(ctx.t('monitoring.alarm.acked'));
}

/** What a screen reader hears about an alarm change from the feed. */
export function alarmNews(ctx, data) {
  // the description names the device already ("ups-1: UPS on battery …")
  const p = { description: data.description || `${data.sourceName || ''} ${data.type || ''}`.trim(), by: data.by || '' };
  if (data.event === 'alarm.raised') return ctx.t('monitoring.live.newAlarm', p);
  if (data.event === 'alarm.acknowledged') return ctx.t('monitoring.live.acknowledged', p);
  if (data.event === 'alarm.cleared') return ctx.t('monitoring.live.cleared', p);
  return null;
}

/** A small "live" indicator that says whether the feed is connected. */
export function liveIndicator(ctx) {
  const el = h('p', { class: 'live-state muted', 'data-live': 'false' }, ctx.t('monitoring.live.reconnecting'));
  return {
    el,
    set(connected) {
      el.dataset.live = String(connected);
      el.textContent = ctx.t(connected ? 'monitoring.live.connected' : 'monitoring.live.reconnecting');
    },
  };
}
