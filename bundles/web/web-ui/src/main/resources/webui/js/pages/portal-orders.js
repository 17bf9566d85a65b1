// Authority portal: the authority's orders and their state; an authority admin approves or
// rejects here what awaits the authority's approval (never their own order).
import { AUTHORITY } from '../roles.js';
import { table } from '../dom.js';
import { badge, action, CANCELLED } from '../ui.js';
import { openDialog } from '../dialog.js';

/** The approval step an order waits for, or null. */
export function nextStep(o) {
  return o.state === 'SUBMITTED' ? o.approvalsNeeded[o.approvals.length] || null : null;
}

/** Approve and reject buttons for one order (the reason for a rejection is asked for in a dialog). */
export function decisionButtons(ctx, o) {
  const { t, api } = ctx;
  return [
    action(ctx, t('orders.approve'), t('orders.approveNamed', { name: o.name }),
      () => api.post(`/orders/${o.id}/approve`, {}), t('orders.approved', { name: o.name }), 'primary'),
    action(ctx, t('orders.reject'), t('orders.rejectNamed', { name: o.name }), async () => {
      const reason = await openDialog({
        title: t('orders.rejectNamed', { name: o.name }),
        field: { label: t('orders.rejectReason', { name: o.name }), hint: t('orders.rejectHint'), required: true,
          requiredMessage: t('orders.rejectReasonMissing'), maxLength: 1000 },
        confirm: t('orders.reject'), cancel: t('common.cancel'), danger: true,
      });
      if (reason === null) {
        ctx.announce(t('orders.rejectCancelled'));
        return CANCELLED;
      }
      return api.post(`/orders/${o.id}/reject`, { reason });
    }, t('orders.rejected', { name: o.name })),
  ];
}

export default {
  path: '/portal/orders',
  title: 'portal.orders.title',
  nav: { section: 'portal', order: 30 },
  roles: AUTHORITY,
  async render(main, ctx) {
    const { api, h, t, fmt } = ctx;
    const orders = await api.all('/orders', 200);
    const admin = ctx.can('authority-admin');
    main.append(table(t('portal.orders.caption'), [
      { label: t('common.name'), render: (o) => h('span', { class: 'mono' }, o.name || '–') },
      { label: t('orders.offering'), render: (o) => (o.offered ? o.offered.name : t(`orders.kind.${o.kind}`)) },
      { label: t('orders.quantity'), numeric: true, render: (o) => fmt.number(o.quantity) },
      { label: t('common.state'), render: (o) => [badge(ctx, o.state), nextStep(o) ? h('div', { class: 'muted' }, t(`orders.waitingFor.${nextStep(o)}`)) : null,
        o.reason ? h('div', { class: 'muted' }, o.reason) : null] },
      { label: t('orders.requestedBy'), render: (o) => o.requestedByName },
      { label: t('common.created'), render: (o) => fmt.dateTime(o.createdAt) },
      { label: t('common.actions'), render: (o) => h('div', { class: 'actions' },
        admin && nextStep(o) === 'authority-admin' && o.requestedBy !== ctx.me.id ? decisionButtons(ctx, o) : null,
        o.state === 'SUBMITTED' && o.requestedBy === ctx.me.id
          ? action(ctx, t('orders.cancel'), t('orders.cancelNamed', { name: o.name }), () => api.post(`/orders/${o.id}/cancel`, {}), t('orders.cancelled', { name: o.name }))
          : null) },
    ], orders, t('portal.orders.none')));
  },
};
