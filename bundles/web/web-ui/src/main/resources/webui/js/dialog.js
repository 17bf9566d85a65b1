// In-page modal dialogs (HTML <dialog> with showModal): the page behind is inert, Tab stays in the
// dialog, Escape cancels, the focus goes to the first field (or the confirming button) and back to
// the element that opened the dialog when it closes. Used instead of window.prompt/confirm, which
// cannot be styled, labelled or tested like the rest of the page.
import { h, uid } from './dom.js';

/**
 * Opens a modal dialog and resolves when it closes.
 *
 * options: { title, text?, confirm (button label), cancel (button label), danger?: boolean,
 *   field?: { label, hint?, required?: boolean, requiredMessage?, maxLength? } }
 * Resolves to: the trimmed text of the field (a string, possibly empty when not required) or
 * `true` without a field, when confirmed; `null` when cancelled (button, Escape).
 */
export function openDialog(options) {
  const opener = document.activeElement;
  const titleId = uid('dlg-title');
  const textId = options.text ? uid('dlg-text') : null;
  let area = null;
  let error = null;
  const parts = [];
  if (options.field) {
    const f = options.field;
    const areaId = uid('dlg-field');
    const hintId = f.hint ? `${areaId}-hint` : null;
    const errorId = `${areaId}-error`;
    area = h('textarea', {
      id: areaId, name: 'reason', rows: '4', maxlength: f.maxLength ? String(f.maxLength) : null,
      'aria-required': f.required ? 'true' : null, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
    });
    error = h('div', { class: 'form-error', id: errorId, role: 'alert' });
    parts.push(h('div', { class: 'field' },
      h('label', { for: areaId }, f.label),
      f.hint ? h('p', { class: 'hint', id: hintId }, f.hint) : null,
      area, error));
  }
  const confirmButton = h('button', { type: 'submit', class: options.danger ? 'danger' : 'primary', value: 'confirm' }, options.confirm);
  const form = h('form', { method: 'dialog' },
    parts,
    h('div', { class: 'actions' },
      confirmButton,
      h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close('') }, options.cancel)));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': textId },
    h('h2', { id: titleId }, options.title),
    options.text ? h('p', { id: textId }, options.text) : null,
    form);
  return new Promise((resolve) => {
    let value = null;
    form.addEventListener('submit', (ev) => {
      if (area && options.field.required && area.value.trim() === '') {
        ev.preventDefault();
        error.replaceChildren(h('p', {}, options.field.requiredMessage || options.field.label));
        area.setAttribute('aria-invalid', 'true');
        area.focus();
        return;
      }
      value = area ? area.value.trim() : true;
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(dialog.returnValue === 'confirm' ? value : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    (area || confirmButton).focus();
  });
}
