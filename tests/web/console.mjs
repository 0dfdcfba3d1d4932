// Drives the softbmc web console in Debian's headless Chromium with playwright-core.
// One step per run, so the Python test can check each effect with ipmitool in between:
//
//   node console.mjs URL USER PASSWORD STEP [ARGS...]
//
// Prints one JSON object on stdout (what the page showed); exits 1 with a message on failure.
// Every wait is bounded. SHOTS=DIR saves a screenshot of the page a step ends on.
import { chromium } from 'playwright-core';
import path from 'node:path';

const [url, user, password, step, ...args] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.SHOTS || '';
const WAIT = 20000; // ms, upper bound of any single wait

async function login(page) {
  await page.goto(url, { waitUntil: 'load', timeout: WAIT });
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#power-state', { timeout: WAIT });
  await page.waitForFunction(() => document.querySelector('#power-state').textContent !== '…',
    null, { timeout: WAIT });
}

async function shot(page, name) {
  if (SHOTS)
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function go(page, hash, ready) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForSelector(ready, { timeout: WAIT });
}

async function confirmDialog(page) {
  await page.waitForSelector('#confirm[open]', { timeout: WAIT });
  await page.click('#confirm-ok');
}

async function toastText(page, re) {
  const h = await page.waitForFunction((src) => {
    const t = [...document.querySelectorAll('#toast div')].map((d) => d.textContent);
    return t.find((s) => new RegExp(src).test(s)) || null;
  }, re, { timeout: WAIT });
  return h.jsonValue();
}

const steps = {
  // Logged in, the dashboard shows readings and fetches them again by itself.
  async dashboard(page) {
    let thermal = 0;
    page.on('response', (r) => { if (r.url().endsWith('/Chassis/1/Thermal')) thermal++; });
    await login(page);
    await page.waitForFunction(() => document.querySelector('[data-reading="power"]'), null, { timeout: WAIT });
    const first = await page.textContent('#key-readings');
    const t0 = thermal;
    for (let i = 0; i < 100 && thermal < t0 + 2; i++)
      await page.waitForTimeout(200);
    await shot(page, 'dashboard');
    return { power: await page.textContent('#power-state'), readings: first,
      refreshes: thermal - t0, user: await page.textContent('#who-name') };
  },

  async power(page, action, expect) {
    await login(page);
    await page.click(`button[data-reset="${action}"]`);
    if (action !== 'On')
      await confirmDialog(page);
    await page.waitForFunction((e) => document.querySelector('#power-state').textContent === e,
      expect, { timeout: WAIT });
    return { power: await page.textContent('#power-state') };
  },

  async identify(page, onoff, seconds) {
    await login(page);
    if (onoff === 'on') {
      await page.selectOption('#identify-duration', seconds || '0');
      await page.click('#identify-on');
    } else {
      await page.click('#identify-off');
    }
    const want = onoff === 'on' ? 'On' : 'Off';
    await page.waitForFunction((w) => document.querySelector('#identify-state').textContent === w,
      want, { timeout: WAIT });
    return { identify: want };
  },

  async sensors(page) {
    await login(page);
    await go(page, '#/sensors', '#sensor-rows tr');
    const rows = await page.$$eval('#sensor-rows tr', (trs) => trs.map((tr) =>
      ({ name: tr.dataset.sensor, value: tr.children[2].dataset.value, text: tr.innerText })));
    // the history charts draw once a second sample is in
    await page.waitForFunction(() => document.querySelector('svg.spark polyline'), null, { timeout: WAIT });
    await shot(page, 'sensors');
    return { rows };
  },

  async network(page, mode, address, netmask, gateway, vlan) {
    await login(page);
    await go(page, '#/network', '#net-save');
    await page.check(mode === 'dhcp' ? '#mode-dhcp' : '#mode-static');
    if (mode !== 'dhcp') {
      await page.fill('#net-address', address);
      await page.fill('#net-netmask', netmask);
      await page.fill('#net-gateway', gateway);
    }
    if (vlan && vlan !== 'off') {
      await page.check('#net-vlan-enabled');
      await page.fill('#net-vlan-id', vlan);
    } else {
      await page.uncheck('#net-vlan-enabled');
    }
    let patches = 0;
    page.on('request', (r) => { if (r.method() === 'PATCH') patches++; });
    await page.click('#net-save');
    if (mode === 'invalid') {
      // the page's own validation must stop it: an error shown, nothing sent
      await page.waitForFunction(() => [...document.querySelectorAll('.error')]
        .some((e) => e.textContent), null, { timeout: WAIT });
      const errors = await page.$$eval('.error', (es) => es.map((e) => e.textContent).filter(Boolean));
      return { errors, patches };
    }
    await toastText(page, 'Network settings applied');
    await page.waitForSelector('#net-save', { timeout: WAIT });
    await shot(page, 'network');
    return { patches, address: await page.inputValue('#net-address') };
  },

  async adduser(page, name, pw, role) {
    await login(page);
    await go(page, '#/users', '#new-user-submit');
    await page.fill('#new-user-name', name);
    await page.fill('#new-user-password', pw);
    await page.selectOption('#new-user-role', role);
    await page.click('#new-user-submit');
    await page.waitForSelector(`tr[data-user="${name}"]`, { timeout: WAIT });
    await shot(page, 'users');
    return { users: await page.$$eval('#user-rows tr', (trs) => trs.map((t) => t.dataset.user)) };
  },

  async events(page) {
    await login(page);
    await go(page, '#/events', '#sel-count');
    await page.waitForFunction(() => /entries/.test(document.querySelector('#sel-count').textContent),
      null, { timeout: WAIT });
    const rows = await page.$$eval('#sel-rows tr', (trs) => trs.map((t) =>
      ({ id: t.dataset.entry, text: t.innerText })));
    await shot(page, 'events');
    return { count: await page.textContent('#sel-count'), rows };
  },

  async inventory(page) {
    await login(page);
    await go(page, '#/inventory', '#inv-system');
    await shot(page, 'inventory');
    return { system: await page.textContent('#inv-system'), manager: await page.textContent('#inv-manager') };
  },

  async boot(page, target, enabled) {
    await login(page);
    await go(page, '#/boot', '#boot-save');
    await page.selectOption('#boot-target', target);
    await page.selectOption('#boot-enabled', enabled || 'Once');
    await page.click('#boot-save');
    await toastText(page, 'Boot override set');
    await shot(page, 'boot');
    return { now: await page.textContent('#boot-current') };
  },

  async badlogin(page) {
    await page.goto(url, { waitUntil: 'load', timeout: WAIT });
    await page.fill('#login-user', user);
    await page.fill('#login-password', password);
    await page.click('#login-submit');
    await page.waitForFunction(() => document.querySelector('#login-error').textContent,
      null, { timeout: WAIT });
    await shot(page, 'login');
    return { error: await page.textContent('#login-error') };
  },

  // The phone-width layout: the menu collapses behind a button and still reaches every page.
  async narrow(page) {
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page);
    await page.click('#nav-toggle');
    await page.click('nav a[data-page="sensors"]');
    await page.waitForSelector('#sensor-rows tr', { timeout: WAIT });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    await shot(page, 'sensors-phone');
    return { overflow };
  },
};

async function main() {
  const fn = steps[step];
  if (!fn)
    throw new Error(`unknown step ${step}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const out = await fn(page, ...args);
    if (errors.length)
      throw new Error(`script errors in the page: ${errors.join('; ')}`);
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    await browser.close();
  }
}

const guard = setTimeout(() => { console.error('step timed out'); process.exit(1); }, 120000);
main().then(() => { clearTimeout(guard); }, (e) => {
  console.error(String(e && e.stack || e));
  process.exit(1);
});
