// The System Event Log, newest first, filtered by severity and sensor; clear with confirmation.
import * as api from '../api.js';
import { el, toast, confirmAction, pill, healthClass } from '../ui.js';

const SEL = '/redfish/v1/Managers/1/LogServices/SEL';

export async function render(main, ctx) {
  const canClear = ctx.session.RoleId !== 'ReadOnly';
  const severity = el('select', { id: 'filter-severity' },
    el('option', { value: '' }, 'All severities'),
    el('option', { value: 'OK' }, 'OK'),
    el('option', { value: 'Warning' }, 'Warning'),
    el('option', { value: 'Critical' }, 'Critical'));
  const sensor = el('select', { id: 'filter-sensor' }, el('option', { value: '' }, 'All sensors'));
  const body = el('tbody', { id: 'sel-rows' });
  const count = el('span', { id: 'sel-count', class: 'hint' });
  const clear = el('button', { type: 'button', class: 'danger', id: 'sel-clear', disabled: !canClear,
    onclick: clearLog }, 'Clear log');
  let entries = [];

  main.append(el('h1', {}, 'Event log'),
    el('div', { class: 'row' },
      el('label', { for: 'filter-severity' }, 'Severity'), severity,
      el('label', { for: 'filter-sensor' }, 'Sensor'), sensor, clear, count),
    el('div', { class: 'table-wrap' }, el('table', { 'aria-label': 'System event log' },
      el('thead', {}, el('tr', {}, el('th', {}, 'ID'), el('th', {}, 'Time'), el('th', {}, 'Severity'),
        el('th', { class: 'hide-narrow' }, 'Sensor'), el('th', {}, 'Message'))),
      body)));

  function sensorLabel(e) {
    if (e.SensorType && e.SensorNumber !== undefined)
      return `${e.SensorType} #${e.SensorNumber}`;
    return e.SensorType || '';
  }

  function show() {
    const list = entries.filter((e) => (!severity.value || e.Severity === severity.value) &&
      (!sensor.value || sensorLabel(e) === sensor.value));
    body.replaceChildren(...list.map((e) => el('tr', { 'data-entry': e.Id },
      el('td', {}, e.Id),
      el('td', {}, e.Created ? new Date(e.Created).toLocaleString() : ''),
      el('td', {}, pill(e.Severity || 'n/a', healthClass(e.Severity))),
      el('td', { class: 'hide-narrow' }, sensorLabel(e)),
      el('td', {}, e.Message || ''))));
    count.textContent = `${list.length} of ${entries.length} entries`;
  }

  async function load() {
    const coll = await api.get(`${SEL}/Entries`);
    entries = (coll.Members || []).slice();
    // a service may list entries inline (as OpenBMC does) or by reference only
    if (entries.length && entries[0].Message === undefined)
      entries = await Promise.all(entries.map((m) => api.get(m['@odata.id'])));
    // newest first: by creation time, then by ID (entries added in the same second)
    entries.sort((a, b) => (Date.parse(b.Created || 0) - Date.parse(a.Created || 0)) ||
      (Number.parseInt(b.Id, 10) - Number.parseInt(a.Id, 10)));
    const names = [...new Set(entries.map(sensorLabel).filter(Boolean))].sort();
    const keep = sensor.value;
    sensor.replaceChildren(el('option', { value: '' }, 'All sensors'),
      ...names.map((n) => el('option', { value: n }, n)));
    sensor.value = names.includes(keep) ? keep : '';
    show();
  }

  async function clearLog() {
    if (!(await confirmAction('Erase every entry of the event log?', 'Clear log')))
      return;
    try {
      await api.post(`${SEL}/Actions/LogService.ClearLog`, {});
      toast('Event log cleared');
      await load();
    } catch (e) {
      toast(`Clear failed: ${e.message}`, true);
    }
  }

  severity.addEventListener('change', show);
  sensor.addEventListener('change', show);
  await load();
}
