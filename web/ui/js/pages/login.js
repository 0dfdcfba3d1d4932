import * as api from '../api.js';
import { el, field } from '../ui.js';

export function render(main, ctx, onLoggedIn) {
  const user = el('input', { id: 'login-user', name: 'username', autocomplete: 'username',
    required: true, maxlength: 16 });
  const pass = el('input', { id: 'login-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true, maxlength: 20 });
  const err = el('div', { class: 'error', role: 'alert', id: 'login-error' });
  const btn = el('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Log in');
  const form = el('form', { class: 'card login', 'aria-label': 'Log in' },
    el('h1', {}, 'softbmc'),
    field('User name', user),
    field('Password', pass),
    err,
    el('div', { class: 'row' }, btn));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    btn.disabled = true;
    try {
      const s = await api.login(user.value, pass.value);
      await onLoggedIn(s);
    } catch (e) {
      err.textContent = e.status === 401 ? 'Wrong user name or password, or the account is locked.'
        : e.message;
    } finally {
      btn.disabled = false;
    }
  });
  main.append(form);
  user.focus();
}
