// Operator console: the audit log, newest first, with filters (user, action prefix, outcome prefix).
import { table, field } from '../dom.js';

export default {
  path: '/console/audit',
  title: 'console.audit.title',
  nav: { section: 'console', order: 80 },
  roles: ['sid-admin', 'sid-operator'],
  async render(main, ctx) {
    const { api, h, t, fmt, query } = ctx;
    const q = new URLSearchParams({ limit: '100' });
    for (const k of ['subject', 'action', 'outcome']) if (query.get(k)) q.set(k, query.get(k));
    const page = await api.get(`/audit?${q}`);
    const input = (name) => h('input', { name, value: query.get(name) || '', autocomplete: 'off' });
    const inputs = ['subject', 'action', 'outcome'].map(input);
    main.append(h('form', {
      class: 'filters', role: 'search', 'aria-label': t('common.filter'),
      onsubmit: (ev) => {
        ev.preventDefault();
        const n = new URLSearchParams();
        for (const el of inputs) if (el.value.trim()) n.set(el.name, el.value.trim());
        location.hash = `#/console/audit${n.toString() ? `?${n}` : ''}`;
      },
    }, inputs.map((el) => field(t(`console.audit.${el.name}`), el)),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, t('common.filter')))));
    main.append(table(t('console.audit.caption'), [
      { label: t('console.audit.at'), render: (e) => fmt.dateTime(e.at) },
      { label: t('console.audit.subject'), render: (e) => e.subject },
      { label: t('console.audit.action'), render: (e) => h('span', { class: 'mono' }, e.action) },
      { label: t('console.audit.target'), render: (e) => h('span', { class: 'mono' }, e.target) },
      { label: t('console.audit.outcome'), render: (e) => e.outcome },
      { label: t('console.audit.detail'), render: (e) => e.detail || '' },
    ], page.items, t('common.none')));
  },
};
