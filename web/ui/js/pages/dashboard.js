// Power state and control, health summary, key readings (live), identify light.
import * as api from '../api.js';
import { el, toast, confirmAction, fmt, pill, healthClass } from '../ui.js';

const SYSTEM = '/redfish/v1/Systems/1';
const CHASSIS = '/redfish/v1/Chassis/1';
const POLL_MS = 2000;

const ACTIONS = [
  ['On', 'Power on', 'primary', null],
  ['GracefulShutdown', 'Graceful shutdown', '', 'Ask the operating system to shut down?'],
  ['ForceOff', 'Power off', 'danger', 'Cut power to the server now? Unsaved work on it is lost.'],
  ['ForceRestart', 'Reset', 'danger', 'Hard-reset the server now?'],
  ['PowerCycle', 'Power cycle', 'danger', 'Power the server off and on again now?'],
];

export async function render(main, ctx) {
  const canOperate = ctx.session.RoleId !== 'ReadOnly';
  const power = el('span', { id: 'power-state', class: 'big' }, '…');
  const health = el('span', { id: 'health' });
  const buttons = ACTIONS.map(([type, label, cls, question]) =>
    el('button', { type: 'button', class: cls, 'data-reset': type, disabled: !canOperate,
      onclick: () => reset(type, label, question) }, label));
  const readings = el('dl', { class: 'kv', id: 'key-readings' });
  const sensorSummary = el('div', { id: 'sensor-summary', class: 'hint' });
  const identState = el('span', { id: 'identify-state' }, '…');
  const duration = el('select', { id: 'identify-duration', 'aria-label': 'Identify duration' },
    el('option', { value: '15' }, '15 seconds'),
    el('option', { value: '60', selected: true }, '1 minute'),
    el('option', { value: '240' }, '4 minutes'),
    el('option', { value: '0' }, 'Until switched off'));
  const identOn = el('button', { type: 'button', id: 'identify-on', disabled: !canOperate,
    onclick: () => identify(true) }, 'Identify on');
  const identOff = el('button', { type: 'button', id: 'identify-off', disabled: !canOperate,
    onclick: () => identify(false) }, 'Identify off');

  main.append(
    el('h1', {}, 'Dashboard'),
    el('div', { class: 'cards' },
      el('section', { class: 'card', 'aria-labelledby': 'h-power' },
        el('h2', { id: 'h-power' }, 'Power'),
        el('p', {}, power),
        el('div', { class: 'row' }, buttons)),
      el('section', { class: 'card', 'aria-labelledby': 'h-health' },
        el('h2', { id: 'h-health' }, 'Health'),
        el('p', {}, health),
        sensorSummary),
      el('section', { class: 'card', 'aria-labelledby': 'h-readings' },
        el('h2', { id: 'h-readings' }, 'Key readings'),
        readings),
      el('section', { class: 'card', 'aria-labelledby': 'h-identify' },
        el('h2', { id: 'h-identify' }, 'Identify light'),
        el('p', {}, 'Now: ', identState),
        el('div', { class: 'row' }, duration, identOn, identOff))));

  async function reset(type, label, question) {
    if (question && !(await confirmAction(question, label)))
      return;
    try {
      await api.post(`${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: type });
      toast(`${label}: requested`);
      await refresh();
    } catch (e) {
      toast(`${label} failed: ${e.message}`, true);
    }
  }

  async function identify(on) {
    const body = { LocationIndicatorActive: on };
    if (on && Number(duration.value) > 0)
      body.Oem = { Softbmc: { IdentifyTimeoutSeconds: Number(duration.value) } };
    try {
      await api.patch(CHASSIS, body);
      await refresh();
    } catch (e) {
      toast(`Identify: ${e.message}`, true);
    }
  }

  async function refresh() {
    const [sys, chassis, thermal, pwr] = await Promise.all([
      api.get(SYSTEM), api.get(CHASSIS), api.get(`${CHASSIS}/Thermal`), api.get(`${CHASSIS}/Power`)]);
    power.textContent = sys.PowerState || 'Unknown';
    power.className = `big state ${sys.PowerState === 'On' ? 'On' : 'Off'}`;
    const h = (sys.Status && (sys.Status.HealthRollup || sys.Status.Health)) || 'Unknown';
    health.replaceChildren(pill(h, healthClass(h)));
    const all = [...(thermal.Temperatures || []), ...(thermal.Fans || []),
      ...(pwr.Voltages || [])];
    const bad = all.filter((s) => s.Status && s.Status.Health && s.Status.Health !== 'OK');
    sensorSummary.textContent = bad.length
      ? `${bad.length} sensor(s) not OK: ${bad.map((s) => s.Name).join(', ')}`
      : `All ${all.length} sensors OK or not reading.`;
    const temps = thermal.Temperatures || [];
    const inlet = temps.find((t) => t.PhysicalContext === 'Intake');
    const cpus = temps.filter((t) => t.PhysicalContext === 'CPU' && t.ReadingCelsius != null);
    const hottest = cpus.reduce((a, t) => (a && a.ReadingCelsius >= t.ReadingCelsius ? a : t), null);
    const fans = (thermal.Fans || []).filter((f) => f.Reading != null);
    const watts = pwr.PowerControl && pwr.PowerControl[0] ? pwr.PowerControl[0].PowerConsumedWatts : null;
    readings.replaceChildren(
      el('dt', {}, 'Inlet'), el('dd', { 'data-reading': 'inlet' }, inlet ? fmt(inlet.ReadingCelsius, 0, '°C') : 'n/a'),
      el('dt', {}, 'Hottest CPU'), el('dd', { 'data-reading': 'cpu' },
        hottest ? `${fmt(hottest.ReadingCelsius, 0, '°C')} (${hottest.Name})` : 'n/a'),
      el('dt', {}, 'Power'), el('dd', { 'data-reading': 'power' }, fmt(watts, 0, 'W')),
      el('dt', {}, 'Fans'), el('dd', { 'data-reading': 'fans' }, fans.length
        ? `${fans.length} spinning, ${fmt(Math.max(...fans.map((f) => f.Reading)), 0, 'RPM')} max`
        : 'none spinning'));
    const lit = chassis.LocationIndicatorActive === true ||
      (chassis.IndicatorLED && chassis.IndicatorLED !== 'Off');
    identState.textContent = lit ? 'On' : 'Off';
  }

  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), POLL_MS);
  return () => clearInterval(timer);
}
