// Billing clerks: one document with its lines and downloads (CSV, XRechnung, PDF); a draft is
// finalised (after a confirmation) or re-rated; lines of a final invoice or cost allocation are
// credited by a credit note. API: GET /api/invoices/{key} (number, or a draft's id),
// POST /api/invoices/{key}/finalize|rerate, POST /api/credit-notes, POST /api/credit-notes/{key}/finalize.
import { BILLING } from '../roles.js';
import { table, field } from '../dom.js';
import { badge, action, download, authorityNames, navigate, CANCELLED } from '../ui.js';
import { errorBox } from '../app.js';
import { openDialog } from '../dialog.js';
import { partyName, docLabel } from './billing-documents.js';

const FORMATS = [['CSV', 'text/csv', 'csv'], ['XRechnung', 'application/xml', 'xml'], ['PDF', 'application/pdf', 'pdf']];

/** Download buttons for a document (XRechnung only where the renderer can make one: not for cost allocations). */
export function downloadButtons(ctx, doc) {
  const key = doc.number || doc.id;
  const base = doc.kind === 'CREDIT_NOTE' ? '/credit-notes' : '/invoices';
  const label = docLabel(ctx, doc);
  return FORMATS.filter(([name]) => name !== 'XRechnung' || doc.kind !== 'COST_ALLOCATION').map(([name, type, ext]) =>
    h2button(ctx, name, ctx.t('billing.download', { format: name, document: label }), async () => {
      await download(`${base}/${encodeURIComponent(key)}`, type, `${doc.number || `${doc.period}-${doc.kind.toLowerCase()}-${doc.id.slice(0, 8)}`}.${ext}`);
      ctx.announce(ctx.t('billing.downloaded', { format: name, document: label }));
    }));
}

function h2button(ctx, label, name, fn) {
  return ctx.h('button', {
    type: 'button', class: 'secondary', 'aria-label': name,
    onclick: () => fn().catch((e) => document.getElementById('main').querySelector('h1').after(errorBox(e, ctx.t))),
  }, label);
}

export default {
  path: '/billing/documents/:key',
  title: 'billing.document.title',
  roles: BILLING,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const [doc, names] = await Promise.all([api.get(`/invoices/${encodeURIComponent(ctx.params.key)}`), authorityNames(ctx)]);
    if (!ctx.live()) return;
    const label = docLabel(ctx, doc);
    const title = doc.number ? t('billing.document.numbered', { kind: t(`billing.kind.${doc.kind}`), number: doc.number }) : label;
    main.querySelector('h1').textContent = title;
    document.title = `${title} – Verbund`;
    const base = doc.kind === 'CREDIT_NOTE' ? '/credit-notes' : '/invoices';
    const key = encodeURIComponent(doc.number || doc.id);

    main.append(h('p', {}, h('a', { href: `#/billing/documents?period=${doc.period}` }, t('billing.document.back'))));
    const fact = (k, v) => [h('dt', {}, k), h('dd', {}, v)];
    main.append(h('dl', { class: 'facts' },
      fact(t('billing.kind'), t(`billing.kind.${doc.kind}`)),
      fact(t('common.state'), badge(ctx, doc.state)),
      fact(t('billing.number'), doc.number || t('billing.noNumber')),
      fact(t('common.authority'), partyName(doc, names)),
      fact(t('billing.period'), fmt.month(doc.period)),
      doc.precedingInvoiceNumber ? fact(t('billing.preceding'), h('a', { href: `#/billing/documents/${encodeURIComponent(doc.precedingInvoiceNumber)}` }, doc.precedingInvoiceNumber)) : null,
      fact(t('billing.buyerReference'), doc.buyerReference || '–'),
      fact(t('billing.costCentre'), doc.costCentre || '–'),
      fact(t('billing.issueDate'), fmt.date(doc.issueDate)),
      fact(t('billing.net'), fmt.money(doc.net, doc.currency)),
      fact(t('billing.vat', { rate: fmt.number(doc.vatRatePercent) }), fmt.money(doc.vat, doc.currency)),
      fact(t('billing.gross'), fmt.money(doc.gross, doc.currency))));

    // what can be done with it
    const actions = [...downloadButtons(ctx, doc)];
    if (doc.state === 'DRAFT') {
      actions.push(action(ctx, t('billing.finalize'), t('billing.finalizeNamed', { document: label }), async () => {
        const ok = await openDialog({
          title: t('billing.finalizeNamed', { document: label }),
          text: t(doc.kind === 'CREDIT_NOTE' ? 'billing.finalizeCreditText' : 'billing.finalizeText',
            { party: partyName(doc, names), period: fmt.month(doc.period), gross: fmt.money(doc.gross, doc.currency) }),
          confirm: t('billing.finalize'), cancel: t('common.cancel'),
        });
        if (ok === null) return CANCELLED;
        const done = await api.post(`${base}/${key}/finalize`);
        await navigate(ctx, `#/billing/documents/${encodeURIComponent(done.number)}`, t('billing.finalized', { number: done.number }));
        return CANCELLED; // announced and on its way to the numbered page
      }, '', 'primary'));
      if (doc.kind !== 'CREDIT_NOTE') {
        actions.push(action(ctx, t('billing.rerate'), t('billing.rerateNamed', { document: label }),
          () => api.post(`/invoices/${key}/rerate`), t('billing.rerated', { document: label })));
      }
    }
    main.append(h('section', { class: 'card', 'aria-labelledby': 'doc-actions-h' },
      h('h2', { id: 'doc-actions-h' }, t('billing.document.actions')),
      doc.state === 'DRAFT' && doc.kind !== 'CREDIT_NOTE' ? h('p', { class: 'hint' }, t('billing.draftHint')) : null,
      h('div', { class: 'actions' }, actions)));

    // lines
    // the SID's own counter-entry statement (its authority is no tenant) is not credited on its own
    const creditable = doc.state === 'FINAL' && doc.kind !== 'CREDIT_NOTE' && doc.lines.length > 0 && doc.authorityId in names;
    const inputs = {};
    const columns = [
      { label: t('billing.position'), numeric: true, render: (l) => fmt.number(l.position) },
      { label: t('billing.description'), render: (l) => [l.description, l.correctionOf ? h('div', { class: 'muted' }, t('billing.correctionOf', { period: fmt.month(l.correctionOf) })) : null] },
      { label: t('billing.resource'), render: (l) => h('span', { class: 'mono' }, [l.service, l.resource].filter(Boolean).join(' · ')) },
      { label: t('billing.quantity'), numeric: true, render: (l) => `${fmt.number(l.quantity)} ${ctx.has(`billing.unit.${l.unit}`) ? t(`billing.unit.${l.unit}`) : l.unit}` },
      { label: t('billing.unitPrice'), numeric: true, render: (l) => fmt.money(l.unitPrice, doc.currency, 4) },
      { label: t('billing.amount'), numeric: true, render: (l) => fmt.money(l.amount, doc.currency) },
    ];
    if (creditable) {
      columns.push({ label: t('billing.credit.quantity'), render: (l) => {
        inputs[l.position] = h('input', {
          type: 'number', name: `credit-${l.position}`, min: '0', max: String(l.quantity), step: 'any', inputmode: 'decimal',
          'aria-label': t('billing.credit.quantityOf', { position: l.position, description: l.description, max: fmt.number(l.quantity) }),
        });
        return inputs[l.position];
      } });
    }
    const linesTable = table(t('billing.document.lines', { document: label }), columns, doc.lines, t('billing.document.noLines'));
    if (!creditable) {
      main.append(h('h2', {}, t('billing.document.linesTitle')), linesTable);
      return;
    }
    const reason = h('textarea', { name: 'reason', rows: '3', maxlength: '1000', 'aria-required': 'true' });
    const error = h('div', { class: 'form-error', role: 'alert' });
    const submit = h('button', { type: 'submit' }, t('billing.credit.submit'));
    main.append(h('h2', {}, t('billing.document.linesTitle')), h('form', {
      'aria-labelledby': 'credit-h',
      onsubmit: async (ev) => {
        ev.preventDefault();
        error.replaceChildren();
        const lines = Object.entries(inputs).filter(([, el]) => el.value.trim() !== '')
          .map(([position, el]) => ({ position: Number(position), quantity: Number(el.value.trim()) })); // a JSON number: the API takes no strings
        const problems = [];
        if (lines.length === 0) problems.push(t('billing.credit.noLines'));
        if (reason.value.trim() === '') problems.push(t('billing.credit.noReason'));
        if (problems.length > 0) {
          error.replaceChildren(...problems.map((p) => h('p', {}, p)));
          (lines.length === 0 ? Object.values(inputs)[0] : reason).focus();
          return;
        }
        submit.disabled = true;
        try {
          const note = await api.post('/credit-notes', { invoiceNumber: doc.number, reason: reason.value.trim(), lines });
          await navigate(ctx, `#/billing/documents/${encodeURIComponent(note.id)}`, t('billing.credit.created', { document: doc.number }));
        } catch (e) {
          submit.disabled = false;
          error.replaceChildren(h('p', {}, e.message));
        }
      },
    }, linesTable,
    h('section', { class: 'card', 'aria-labelledby': 'credit-h' },
      h('h3', { id: 'credit-h' }, t('billing.credit.title')),
      h('p', { class: 'hint' }, t('billing.credit.hint')),
      field(t('billing.credit.reason'), reason), error, submit)));
  },
};
