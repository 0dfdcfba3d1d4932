// Inventory: what the FRU and the BMC say about this server.
import * as api from '../api.js';
import { el } from '../ui.js';

function kv(title, id, pairs) {
  const dl = el('dl', { class: 'kv', id });
  for (const [k, v] of pairs) {
    if (v === undefined || v === null || v === '')
      continue;
    dl.append(el('dt', {}, k), el('dd', {}, typeof v === 'object' ? JSON.stringify(v) : v));
  }
  return el('section', { class: 'card' }, el('h2', {}, title), dl);
}

export async function render(main) {
  const [sys, chassis, mgr] = await Promise.all([api.get('/redfish/v1/Systems/1'),
    api.get('/redfish/v1/Chassis/1'), api.get('/redfish/v1/Managers/1')]);
  const ps = sys.ProcessorSummary || {}, ms = sys.MemorySummary || {};
  main.append(el('h1', {}, 'Inventory'), el('div', { class: 'cards' },
    kv('System', 'inv-system', [['Manufacturer', sys.Manufacturer], ['Model', sys.Model],
      ['Serial number', sys.SerialNumber], ['Part number', sys.PartNumber], ['SKU', sys.SKU],
      ['Asset tag', sys.AssetTag], ['UUID', sys.UUID],
      ['Host name', sys.HostName], ['BIOS version', sys.BiosVersion],
      ['Processors', ps.Count !== undefined ? `${ps.Count} × ${ps.Model || 'CPU'}` : undefined],
      ['Memory', ms.TotalSystemMemoryGiB !== undefined ? `${ms.TotalSystemMemoryGiB} GiB` : undefined]]),
    kv('Chassis', 'inv-chassis', [['Manufacturer', chassis.Manufacturer], ['Model', chassis.Model],
      ['Serial number', chassis.SerialNumber], ['Part number', chassis.PartNumber],
      ['Type', chassis.ChassisType], ['Asset tag', chassis.AssetTag]]),
    kv('BMC', 'inv-manager', [['Model', mgr.Model], ['Firmware version', mgr.FirmwareVersion],
      ['Manager type', mgr.ManagerType], ['UUID', mgr.UUID]])));
}
