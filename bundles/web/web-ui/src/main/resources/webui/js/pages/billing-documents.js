// Billing clerks: run billing for a month on demand, and every billing document (invoices, cost
// allocations, credit notes) filtered by period, authority, kind and state (the filters are in the
// URL). API: POST /api/invoices/run?period=, GET /api/invoices?period=&authority=&kind=&state=.
import { BILLING } from '../roles.js';
import { table, field } from '../dom.js';
import { badge, authorityNames, navigate } from '../ui.js';

export const KINDS = ['INVOICE', 'COST_ALLOCATION', 'CREDIT_NOTE'];
const STATES = ['DRAFT', 'FINAL'];

/** The current month in Europe/Berlin (billing periods are Berlin months), "2026-11". */
export function currentPeriod() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' })
    .formatToParts(new Date());
  return `${parts.find((p) => p.type === 'year').value}-${parts.find((p) => p.type === 'month').value}`;
}

/** The n months up to and including the current one, newest first ("2026-11", "2026-10", …). */
export function recentPeriods(n) {
  const [y, m] = currentPeriod().split('-').map(Number);
  const out = [];
  for (let i = 0; i < n; i += 1) {
    const d = new Date(Date.UTC(y, m - 1 - i, 15));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

/** The buyer's name of a document (the SID's own statement has the seller's). */
export function partyName(doc, names) {
  return (doc.buyer && doc.buyer.name) || names[doc.authorityId] || doc.authorityId;
}

/** How a document is named in buttons and titles: its number, or "draft" and its period. */
export function docLabel(ctx, doc) {
  return doc.number || ctx.t('billing.draftOf', { kind: ctx.t(`billing.kind.${doc.kind}`), period: ctx.fmt.month(doc.period) });
}

export default {
  path: '/billing/documents',
  title: 'billing.documents.title',
  nav: { section: 'billing', order: 10 },
  roles: BILLING,
  async render(main, ctx) {
    const { api, h, t, fmt, query } = ctx;
    const q = new URLSearchParams();
    for (const k of ['period', 'authority', 'kind', 'state']) if (query.get(k)) q.set(k, query.get(k));
    const [docs, names] = await Promise.all([api.all(`/invoices${q.toString() ? `?${q}` : ''}`, 2000), authorityNames(ctx)]);
    if (!ctx.live()) return;

    // run on demand
    const runPeriod = h('select', { name: 'runPeriod' },
      recentPeriods(13).map((p) => h('option', { value: p, selected: p === (query.get('period') || currentPeriod()) }, fmt.month(p))));
    const runError = h('div', { class: 'form-error', role: 'alert' });
    const runButton = h('button', { type: 'submit' }, t('billing.run.submit'));
    main.append(h('section', { class: 'card', 'aria-labelledby': 'run-h' },
      h('h2', { id: 'run-h' }, t('billing.run.title')),
      h('form', {
        onsubmit: async (ev) => {
          ev.preventDefault();
          runButton.disabled = true;
          runError.replaceChildren();
          try {
            const r = await api.post(`/invoices/run?period=${encodeURIComponent(runPeriod.value)}`);
            await navigate(ctx, `#/billing/documents?period=${r.period}`,
              t('billing.run.done', { period: fmt.month(r.period), drafts: fmt.number(r.drafts.length), finals: fmt.number(r.finalUnchanged) }));
          } catch (e) {
            runButton.disabled = false;
            runError.replaceChildren(h('p', {}, e.message));
          }
        },
      }, field(t('billing.period'), runPeriod, t('billing.run.hint')), runError, runButton)));

    // filters
    const select = (name, options, current) => h('select', { name },
      h('option', { value: '' }, t('common.all')),
      options.map(([v, label]) => h('option', { value: v, selected: v === current }, label)));
    const period = select('period', recentPeriods(25).map((p) => [p, fmt.month(p)]), query.get('period'));
    const authority = select('authority', Object.entries(names).sort((a, b) => a[1].localeCompare(b[1])), query.get('authority'));
    const kind = select('kind', KINDS.map((k) => [k, t(`billing.kind.${k}`)]), query.get('kind'));
    const state = select('state', STATES.map((s) => [s, t(`state.${s}`)]), query.get('state'));
    main.append(h('h2', {}, t('billing.documents.list')), h('form', {
      class: 'filters', role: 'search', 'aria-label': t('billing.documents.filter'),
      onsubmit: (ev) => {
        ev.preventDefault();
        const n = new URLSearchParams();
        for (const el of [period, authority, kind, state]) if (el.value) n.set(el.name, el.value);
        location.hash = `#/billing/documents${n.toString() ? `?${n}` : ''}`;
      },
    }, field(t('billing.period'), period), field(t('common.authority'), authority), field(t('billing.kind'), kind),
    field(t('common.state'), state), h('div', { class: 'field' }, h('button', { type: 'submit' }, t('common.filter')))));

    main.append(table(t('billing.documents.caption', { n: fmt.number(docs.length) }), [
      { label: t('billing.number'), render: (d) => h('a', { href: `#/billing/documents/${encodeURIComponent(d.number || d.id)}` }, docLabel(ctx, d)) },
      { label: t('billing.kind'), render: (d) => t(`billing.kind.${d.kind}`) },
      { label: t('common.authority'), render: (d) => partyName(d, names) },
      { label: t('billing.period'), render: (d) => fmt.month(d.period) },
      { label: t('common.state'), render: (d) => badge(ctx, d.state) },
      { label: t('billing.net'), numeric: true, render: (d) => fmt.money(d.net, d.currency) },
      { label: t('billing.gross'), numeric: true, render: (d) => fmt.money(d.gross, d.currency) },
      { label: t('billing.issueDate'), render: (d) => fmt.date(d.issueDate) },
    ], docs, t('billing.documents.none')));
  },
};
