// Every sensor with its reading, thresholds and state; a short history per sensor, kept
// in the page while it is open (one sample per refresh).
import * as api from '../api.js';
import { el, fmt, pill, healthClass, sparkline } from '../ui.js';

const CHASSIS = '/redfish/v1/Chassis/1';
const POLL_MS = 2000;
const HISTORY = 60;

function rows(thermal, power) {
  const out = [];
  for (const t of thermal.Temperatures || [])
    out.push({ kind: 'Temperature', name: t.Name, value: t.ReadingCelsius, unit: '°C', digits: 0, s: t });
  for (const f of thermal.Fans || [])
    out.push({ kind: 'Fan', name: f.Name, value: f.Reading, unit: f.ReadingUnits || 'RPM', digits: 0, s: f });
  for (const v of power.Voltages || [])
    out.push({ kind: 'Voltage', name: v.Name, value: v.ReadingVolts, unit: 'V', digits: 2, s: v });
  for (const p of power.PowerControl || [])
    out.push({ kind: 'Power', name: p.Name || 'System power', value: p.PowerConsumedWatts, unit: 'W', digits: 0, s: p });
  return out;
}

function thresholds(s, digits) {
  const parts = [];
  const names = [['LowerThresholdFatal', 'LNR'], ['LowerThresholdCritical', 'LCR'],
    ['LowerThresholdNonCritical', 'LNC'], ['UpperThresholdNonCritical', 'UNC'],
    ['UpperThresholdCritical', 'UCR'], ['UpperThresholdFatal', 'UNR']];
  for (const [k, short] of names) {
    if (s[k] !== undefined && s[k] !== null)
      parts.push(`${short} ${Number(s[k]).toFixed(digits)}`);
  }
  return parts.join(' · ') || '—';
}

export async function render(main) {
  const history = new Map();
  const body = el('tbody', { id: 'sensor-rows' });
  main.append(el('h1', {}, 'Sensors'),
    el('div', { class: 'table-wrap' }, el('table', { 'aria-label': 'Sensors' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Sensor'), el('th', { class: 'hide-narrow' }, 'Type'),
        el('th', {}, 'Reading'), el('th', {}, 'State'), el('th', { class: 'hide-narrow' }, 'Thresholds'),
        el('th', { class: 'hide-narrow' }, 'Recent'))),
      body)));

  async function refresh() {
    const [thermal, power] = await Promise.all([api.get(`${CHASSIS}/Thermal`), api.get(`${CHASSIS}/Power`)]);
    const trs = [];
    for (const r of rows(thermal, power)) {
      const key = `${r.kind}:${r.name}`;
      const h = history.get(key) || [];
      h.push(r.value);
      if (h.length > HISTORY)
        h.shift();
      history.set(key, h);
      const st = r.s.Status || {};
      const health = st.State && st.State !== 'Enabled' ? st.State : (st.Health || 'OK');
      trs.push(el('tr', { 'data-sensor': r.name },
        el('td', {}, r.name),
        el('td', { class: 'hide-narrow' }, r.kind),
        el('td', { 'data-value': r.value ?? '' }, fmt(r.value, r.digits, r.unit)),
        el('td', {}, pill(health, healthClass(st.State && st.State !== 'Enabled' ? 'n/a' : health))),
        el('td', { class: 'hide-narrow' }, thresholds(r.s, r.digits)),
        el('td', { class: 'hide-narrow' }, sparkline(h, `${r.name} history`))));
    }
    body.replaceChildren(...trs);
  }

  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), POLL_MS);
  return () => clearInterval(timer);
}
