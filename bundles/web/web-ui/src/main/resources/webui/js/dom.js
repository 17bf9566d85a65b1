// Small DOM helpers: the pages build their elements with h() instead of HTML strings, so text
// from the API is always text (never parsed as HTML).

/**
 * Creates an element. attrs: attributes; `class`; `on<event>` functions become listeners;
 * `true` sets a boolean attribute, `false`/`null`/`undefined` leave it out; `value`/`checked`
 * set the properties. children: nodes, strings, numbers, arrays (flattened); null/false skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value' || k === 'checked') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/** Appends children (see h) to el; returns el. */
export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Removes every child of el and appends the new ones. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

let idCounter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/**
 * A table with a caption (its accessible name) and column headers.
 * columns: [{ label, render(row) -> node|string, numeric?: boolean }]
 * empty: text shown in one cell when rows is empty.
 */
export function table(caption, columns, rows, empty) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty))
        : rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.numeric ? 'num' : null }, c.render(r))))))));
}

/**
 * A labelled form field. control: an input/select/textarea element (its id is set here).
 * hint: optional help text, wired with aria-describedby.
 */
export function field(label, control, hint) {
  const id = control.id || uid('field');
  control.id = id;
  const parts = [h('label', { for: id }, label), control];
  if (hint) {
    const hid = `${id}-hint`;
    control.setAttribute('aria-describedby', hid);
    parts.push(h('p', { class: 'hint', id: hid }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

/**
 * A capacity bar: the text says it all, the bar is decoration (aria-hidden). used/total are
 * numbers; the bar turns amber from 70 % and red from 90 %. (Widths are set through the CSSOM:
 * the Content-Security-Policy forbids style attributes.)
 */
export function bar(text, used, total) {
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  const level = pct >= 90 ? 'high' : pct >= 70 ? 'mid' : 'low';
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${pct}%`;
  return h('div', { class: 'bar' },
    h('span', { class: 'bar-text' }, text),
    h('span', { class: `bar-track ${level}`, 'aria-hidden': 'true' }, fill));
}
