// Boot device for the next boot (Redfish Boot override = IPMI boot options parameter 5).
import * as api from '../api.js';
import { el, toast, field } from '../ui.js';

const SYSTEM = '/redfish/v1/Systems/1';
const LABELS = { None: 'No override (boot order)', Pxe: 'Network (PXE)', Hdd: 'Hard disk',
  Cd: 'CD/DVD', Usb: 'USB', BiosSetup: 'BIOS setup', Diags: 'Diagnostics', Floppy: 'Floppy',
  RemoteDrive: 'Remote drive', UefiShell: 'UEFI shell', UefiTarget: 'UEFI target',
  SDCard: 'SD card', UefiHttp: 'UEFI HTTP' };

export async function render(main, ctx) {
  const canSet = ctx.session.RoleId !== 'ReadOnly';
  const { data: sys, etag } = await api.getWithEtag(SYSTEM);
  const boot = sys.Boot || {};
  const targets = boot['BootSourceOverrideTarget@Redfish.AllowableValues'] ||
    ['None', 'Pxe', 'Hdd', 'Cd', 'BiosSetup', 'Diags', 'Floppy', 'RemoteDrive'];
  const target = el('select', { id: 'boot-target', disabled: !canSet },
    ...targets.map((t) => el('option', { value: t, selected: t === boot.BootSourceOverrideTarget }, LABELS[t] || t)));
  const persist = el('select', { id: 'boot-enabled', disabled: !canSet },
    el('option', { value: 'Once', selected: boot.BootSourceOverrideEnabled !== 'Continuous' }, 'Next boot only'),
    el('option', { value: 'Continuous', selected: boot.BootSourceOverrideEnabled === 'Continuous' }, 'Every boot'));
  const mode = el('select', { id: 'boot-mode', disabled: !canSet },
    el('option', { value: 'UEFI', selected: boot.BootSourceOverrideMode === 'UEFI' }, 'UEFI'),
    el('option', { value: 'Legacy', selected: boot.BootSourceOverrideMode !== 'UEFI' }, 'Legacy BIOS'));
  const now = el('p', { id: 'boot-current' },
    `Now: ${boot.BootSourceOverrideTarget || 'None'} (${boot.BootSourceOverrideEnabled || 'Disabled'})`);
  const form = el('form', { class: 'card', 'aria-label': 'Boot override' }, now,
    field('Boot device', target), field('Applies to', persist), field('Boot mode', mode),
    el('p', { class: 'hint' }, 'A "next boot only" override is forgotten after the next boot, or after 60 seconds if the server is not booted (as IPMI prescribes).'),
    el('div', { class: 'row' }, el('button', { type: 'submit', class: 'primary', id: 'boot-save', disabled: !canSet }, 'Set')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const b = target.value === 'None'
      ? { BootSourceOverrideEnabled: 'Disabled', BootSourceOverrideTarget: 'None' }
      : { BootSourceOverrideEnabled: persist.value, BootSourceOverrideTarget: target.value,
        BootSourceOverrideMode: mode.value };
    try {
      await api.patch(SYSTEM, { Boot: b }, etag);
      toast('Boot override set');
      main.replaceChildren();
      await render(main, ctx);
    } catch (e) {
      toast(`Not set: ${e.message}`, true);
    }
  });
  main.append(el('h1', {}, 'Boot'), form);
}
