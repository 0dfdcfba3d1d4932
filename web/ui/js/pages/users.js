// BMC users (the IPMI user table): add, change password, role, enable/disable, delete.
import * as api from '../api.js';
import { el, toast, confirmAction, field } from '../ui.js';

const ACCOUNTS = '/redfish/v1/AccountService/Accounts';
const ROLES = ['Administrator', 'Operator', 'ReadOnly'];
const PW_HINT = 'At most 20 characters: IPMI 2.0 keeps passwords of up to 20 bytes, and the same password works for IPMI, Redfish and this console.';

function roleSelect(id, value, disabled) {
  return el('select', { id, disabled, 'aria-label': 'Role' },
    ...ROLES.map((r) => el('option', { value: r, selected: r === value }, r)));
}

export async function render(main, ctx) {
  const admin = ctx.session.RoleId === 'Administrator';
  const body = el('tbody', { id: 'user-rows' });
  main.append(el('h1', {}, 'Users'),
    el('div', { class: 'table-wrap' }, el('table', { 'aria-label': 'Users' },
      el('thead', {}, el('tr', {}, el('th', {}, 'ID'), el('th', {}, 'User name'), el('th', {}, 'Role'),
        el('th', {}, 'Enabled'), el('th', {}, 'New password'), el('th', {}, ''))),
      body)));

  async function load() {
    const accounts = await api.members(ACCOUNTS);
    body.replaceChildren(...accounts.map((a) => row(a)));
  }

  function row(a) {
    const role = roleSelect(`role-${a.Id}`, a.RoleId, !admin);
    const enabled = el('input', { type: 'checkbox', id: `enabled-${a.Id}`, checked: !!a.Enabled,
      disabled: !admin, 'aria-label': `Enable ${a.UserName}` });
    const pw = el('input', { type: 'password', id: `password-${a.Id}`, maxlength: 20,
      autocomplete: 'new-password', disabled: !admin, 'aria-label': `New password for ${a.UserName}`,
      placeholder: 'unchanged' });
    const apply = el('button', { type: 'button', class: 'primary', id: `apply-${a.Id}`, disabled: !admin,
      onclick: async () => {
        const patch = {};
        if (role.value !== a.RoleId)
          patch.RoleId = role.value;
        if (enabled.checked !== !!a.Enabled)
          patch.Enabled = enabled.checked;
        if (pw.value)
          patch.Password = pw.value;
        if (!Object.keys(patch).length)
          return;
        try {
          await api.patch(a['@odata.id'], patch);
          toast(`${a.UserName} updated`);
          await load();
        } catch (e) {
          toast(`${a.UserName}: ${e.message}`, true);
        }
      } }, 'Apply');
    const remove = el('button', { type: 'button', class: 'danger', id: `delete-${a.Id}`,
      disabled: !admin || a.UserName === ctx.session.UserName,
      onclick: async () => {
        if (!(await confirmAction(`Delete user ${a.UserName}?`, 'Delete')))
          return;
        try {
          await api.del(a['@odata.id']);
          toast(`${a.UserName} deleted`);
          await load();
        } catch (e) {
          toast(`${a.UserName}: ${e.message}`, true);
        }
      } }, 'Delete');
    return el('tr', { 'data-user': a.UserName },
      el('td', {}, a.Id), el('td', {}, a.UserName, a.Locked ? ' (locked)' : ''),
      el('td', {}, role), el('td', {}, enabled), el('td', {}, pw),
      el('td', {}, el('div', { class: 'row' }, apply, remove)));
  }

  if (admin) {
    const name = el('input', { id: 'new-user-name', maxlength: 16, required: true, autocomplete: 'off' });
    const pw = el('input', { id: 'new-user-password', type: 'password', maxlength: 20, required: true,
      autocomplete: 'new-password' });
    const role = roleSelect('new-user-role', 'ReadOnly', false);
    const err = el('div', { class: 'error', role: 'alert', id: 'new-user-error' });
    const form = el('form', { class: 'card', 'aria-label': 'Add a user' },
      el('h2', {}, 'Add a user'),
      field('User name', name, 'At most 16 characters.'),
      field('Password', pw, PW_HINT),
      field('Role', role),
      err,
      el('div', { class: 'row' }, el('button', { type: 'submit', class: 'primary', id: 'new-user-submit' }, 'Add user')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      if (new TextEncoder().encode(pw.value).length > 20) {
        err.textContent = 'The password is longer than 20 bytes.';
        return;
      }
      try {
        await api.post(ACCOUNTS, { UserName: name.value, Password: pw.value, RoleId: role.value, Enabled: true });
        toast(`User ${name.value} added`);
        name.value = '';
        pw.value = '';
        await load();
      } catch (e) {
        err.textContent = e.message;
      }
    });
    main.append(el('p', { class: 'hint' }, PW_HINT), form);
  }
  await load();
}
