// The console shell: hash router, login state, navigation. Each page module exports
// render(container, ctx) and may return a cleanup function (timers), called on navigation.
import * as api from './api.js';
import { toast } from './ui.js';
import * as login from './pages/login.js';
import * as dashboard from './pages/dashboard.js';
import * as sensors from './pages/sensors.js';
import * as events from './pages/events.js';
import * as network from './pages/network.js';
import * as users from './pages/users.js';
import * as inventory from './pages/inventory.js';
import * as boot from './pages/boot.js';

const pages = { dashboard, sensors, events, network, users, inventory, boot };
const ctx = { session: null };
let cleanup = null;

function showChrome(on) {
  document.getElementById('nav').hidden = !on;
  document.getElementById('who').hidden = !on;
  document.getElementById('nav-toggle').hidden = !on;
  if (on) {
    document.getElementById('who-name').textContent =
      `${ctx.session.UserName} (${ctx.session.RoleId})`;
  }
}

async function route() {
  if (cleanup) {
    try { cleanup(); } catch { /* a page's cleanup never blocks navigation */ }
    cleanup = null;
  }
  const main = document.getElementById('main');
  main.replaceChildren();
  if (!ctx.session) {
    showChrome(false);
    login.render(main, ctx, async (s) => {
      ctx.session = s;
      if (!location.hash || location.hash === '#/login')
        location.hash = '#/dashboard';
      else
        await route();
    });
    return;
  }
  showChrome(true);
  const name = (location.hash.replace(/^#\//, '') || 'dashboard').split('?')[0];
  const page = pages[name] || dashboard;
  for (const a of document.querySelectorAll('nav a'))
    a.classList.toggle('active', a.dataset.page === name);
  document.getElementById('nav').classList.remove('open');
  try {
    cleanup = (await page.render(main, ctx)) || null;
  } catch (e) {
    toast(`Could not load the page: ${e.message}`, true);
  }
  main.focus({ preventScroll: true });
}

async function start() {
  api.setUnauthorizedHandler(() => {
    if (ctx.session) {
      ctx.session = null;
      toast('Your session ended; please log in again.', true);
      route();
    }
  });
  document.getElementById('logout').addEventListener('click', async () => {
    try { await api.logout(); } catch { /* already gone */ }
    ctx.session = null;
    location.hash = '#/login';
    route();
  });
  const toggle = document.getElementById('nav-toggle');
  toggle.addEventListener('click', () => {
    const nav = document.getElementById('nav');
    nav.classList.toggle('open');
    toggle.setAttribute('aria-expanded', nav.classList.contains('open') ? 'true' : 'false');
  });
  window.addEventListener('hashchange', route);
  try {
    ctx.session = await api.whoami();
  } catch {
    ctx.session = null;
  }
  await route();
}

start();
