// Small DOM helpers. Server data is only ever placed with textContent, never as HTML.

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false)
      continue;
    if (k === 'class')
      e.className = v;
    else if (k.startsWith('on') && typeof v === 'function')
      e.addEventListener(k.slice(2), v);
    else if (v === true)
      e.setAttribute(k, '');
    else
      e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false)
      continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function toast(msg, bad = false) {
  const box = document.getElementById('toast');
  const d = el('div', { class: bad ? 'bad' : '' }, msg);
  box.append(d);
  setTimeout(() => d.remove(), bad ? 8000 : 4000);
}

// A modal confirmation; resolves true when confirmed.
export function confirmAction(text, okLabel = 'Confirm') {
  const dlg = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = okLabel;
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
    dlg.returnValue = 'cancel';
    dlg.showModal();
  });
}

export function fmt(v, digits = 0, unit = '') {
  if (v === undefined || v === null)
    return 'n/a';
  return `${Number(v).toFixed(digits)}${unit ? ' ' + unit : ''}`;
}

// Health / state word -> CSS class of a .state pill.
export function healthClass(h) {
  if (h === 'OK')
    return 'ok';
  if (h === 'Warning')
    return 'warn';
  if (h === 'Critical')
    return 'crit';
  return 'na';
}

export function pill(text, cls) {
  return el('span', { class: `state ${cls}` }, text);
}

// A tiny SVG line chart of the last values.
export function sparkline(values, label) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', '0 0 120 28');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const vals = values.filter((v) => typeof v === 'number');
  if (vals.length >= 2) {
    const lo = Math.min(...vals), hi = Math.max(...vals);
    const span = hi - lo || 1;
    const pts = vals.map((v, i) =>
      `${(i * 118 / (vals.length - 1) + 1).toFixed(1)},${(26 - (v - lo) * 24 / span).toFixed(1)}`);
    const pl = document.createElementNS(ns, 'polyline');
    pl.setAttribute('points', pts.join(' '));
    svg.append(pl);
  }
  return svg;
}

export function field(labelText, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  return el('div', {}, el('label', { for: id }, labelText), input,
    hint ? el('div', { class: 'hint' }, hint) : null);
}
