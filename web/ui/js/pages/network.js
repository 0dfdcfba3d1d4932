// The BMC's management network: DHCP or static IPv4, netmask, gateway, VLAN — the same LAN
// configuration IPMI's `lan set 1` writes. Validated here before submit; the BMC validates again.
import * as api from '../api.js';
import { el, toast, field } from '../ui.js';

const IFACES = '/redfish/v1/Managers/1/EthernetInterfaces';

function ipv4(s) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m)
    return null;
  const b = m.slice(1).map(Number);
  if (b.some((x) => x > 255))
    return null;
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

// The same rules as the BMC (bmc/lanconf.c): contiguous netmask, host address neither the
// network nor the broadcast address, gateway inside the subnet, VLAN 1-4094.
export function validate(v) {
  const errs = {};
  if (!v.dhcp) {
    const ip = ipv4(v.address), mask = ipv4(v.netmask);
    const gw = v.gateway.trim() === '' ? 0 : ipv4(v.gateway);
    if (ip === null)
      errs.address = 'Not an IPv4 address.';
    if (mask === null || mask === 0 || ((~mask >>> 0) & ((~mask >>> 0) + 1)) !== 0)
      errs.netmask = 'Not a contiguous netmask (e.g. 255.255.255.0).';
    if (ip !== null && mask !== null && !errs.netmask) {
      const host = ip & ~mask;
      if (ip === 0 || host === 0 || (host >>> 0) === (~mask >>> 0))
        errs.address = 'Not a usable host address in this subnet.';
    }
    if (gw === null)
      errs.gateway = 'Not an IPv4 address.';
    else if (gw !== 0 && ip !== null && mask !== null && !errs.netmask && ((gw & mask) >>> 0) !== ((ip & mask) >>> 0))
      errs.gateway = 'The gateway must be inside the subnet.';
  }
  if (v.vlanEnabled) {
    const id = Number(v.vlanId);
    if (!Number.isInteger(id) || id < 1 || id > 4094)
      errs.vlanId = 'VLAN ID must be 1 to 4094.';
  }
  return errs;
}

export async function render(main, ctx) {
  const readOnly = ctx.session.RoleId !== 'Administrator';
  const list = await api.get(IFACES);
  const path = list.Members && list.Members[0] && list.Members[0]['@odata.id'];
  if (!path) {
    main.append(el('h1', {}, 'Network'), el('p', {}, 'The BMC reports no network interface.'));
    return;
  }
  const { data: nic, etag } = await api.getWithEtag(path);
  const cur = (nic.IPv4Addresses && nic.IPv4Addresses[0]) || {};
  const stat = (nic.IPv4StaticAddresses && nic.IPv4StaticAddresses[0]) || cur;
  const dhcpOn = !!(nic.DHCPv4 && nic.DHCPv4.DHCPEnabled);

  const modeDhcp = el('input', { type: 'radio', name: 'mode', id: 'mode-dhcp', value: 'dhcp', checked: dhcpOn });
  const modeStatic = el('input', { type: 'radio', name: 'mode', id: 'mode-static', value: 'static', checked: !dhcpOn });
  const address = el('input', { id: 'net-address', value: stat.Address || '', inputmode: 'decimal' });
  const netmask = el('input', { id: 'net-netmask', value: stat.SubnetMask || '', inputmode: 'decimal' });
  const gateway = el('input', { id: 'net-gateway', value: stat.Gateway || '', inputmode: 'decimal' });
  const vlanOn = el('input', { type: 'checkbox', id: 'net-vlan-enabled', checked: !!(nic.VLAN && nic.VLAN.VLANEnable) });
  const vlanId = el('input', { id: 'net-vlan-id', type: 'number', min: 1, max: 4094,
    value: nic.VLAN && nic.VLAN.VLANId ? nic.VLAN.VLANId : '' });
  const errors = { address: el('div', { class: 'error', id: 'err-address' }),
    netmask: el('div', { class: 'error', id: 'err-netmask' }),
    gateway: el('div', { class: 'error', id: 'err-gateway' }),
    vlanId: el('div', { class: 'error', id: 'err-vlan' }) };
  const save = el('button', { type: 'submit', class: 'primary', id: 'net-save', disabled: readOnly }, 'Apply');

  const staticBox = el('fieldset', { id: 'static-fields' }, el('legend', {}, 'Static address'),
    field('IPv4 address', address), errors.address,
    field('Netmask', netmask), errors.netmask,
    field('Default gateway', gateway, 'Leave empty for none.'), errors.gateway);
  const syncMode = () => { staticBox.disabled = modeDhcp.checked; };
  modeDhcp.addEventListener('change', syncMode);
  modeStatic.addEventListener('change', syncMode);
  syncMode();

  const form = el('form', { class: 'card', 'aria-label': 'Network settings', novalidate: true },
    el('p', { class: 'hint' }, `Current address: ${cur.Address || 'none'} (${cur.AddressOrigin || 'unknown'}), MAC ${nic.MACAddress || 'n/a'}`),
    el('fieldset', {}, el('legend', {}, 'Address source'),
      el('div', { class: 'row' }, modeDhcp, el('label', { for: 'mode-dhcp' }, 'DHCP'),
        modeStatic, el('label', { for: 'mode-static' }, 'Static'))),
    staticBox,
    el('fieldset', {}, el('legend', {}, 'VLAN'),
      el('div', { class: 'row' }, vlanOn, el('label', { for: 'net-vlan-enabled' }, 'Tag management traffic with a VLAN')),
      field('VLAN ID', vlanId, '1 to 4094'), errors.vlanId),
    el('div', { class: 'row' }, save),
    readOnly ? el('p', { class: 'hint' }, 'Only an Administrator can change network settings.') : null);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = { dhcp: modeDhcp.checked, address: address.value, netmask: netmask.value,
      gateway: gateway.value, vlanEnabled: vlanOn.checked, vlanId: vlanId.value };
    const errs = validate(v);
    for (const [k, box] of Object.entries(errors))
      box.textContent = errs[k] || '';
    if (Object.keys(errs).length)
      return;
    const body = { DHCPv4: { DHCPEnabled: v.dhcp },
      VLAN: v.vlanEnabled ? { VLANEnable: true, VLANId: Number(v.vlanId) } : { VLANEnable: false } };
    if (!v.dhcp)
      body.IPv4StaticAddresses = [{ Address: v.address.trim(), SubnetMask: v.netmask.trim(),
        Gateway: v.gateway.trim() || '0.0.0.0' }];
    save.disabled = true;
    try {
      await api.patch(path, body, etag);
      toast('Network settings applied');
      main.replaceChildren();
      await render(main, ctx);
    } catch (e) {
      toast(`Not applied: ${e.message}`, true);
      save.disabled = false;
    }
  });
  main.append(el('h1', {}, 'Network'), form);
}
