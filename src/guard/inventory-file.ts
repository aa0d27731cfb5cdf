import { isMap, isSeq, isScalar } from 'yaml';
import { ROLES, type Role } from '../config/types.js';
import { unreadable } from './compose-file.js';
import type { Finding, InventoryHostInput, InventoryInput } from './types.js';
import { envEntries, lineOf, parseYaml, text } from './yaml-env.js';

export interface ParsedInventory {
  inventory?: InventoryInput;
  problem?: Finding;
}

/**
 * The hosts of `tars-docker.yml` with the line of each host, its address and its `env:` overrides.
 * Validation belongs to src/config; this only needs positions, so it tolerates what it does not know.
 */
export function parseInventoryText(source: string, file: string): ParsedInventory {
  const y = parseYaml(source);
  const err = y.doc.errors[0];
  if (err) return { problem: unreadable('inventory', file, err.linePos?.[0].line, err.message) };
  const hosts = y.doc.get('hosts', true);
  const out: InventoryHostInput[] = [];
  if (isSeq(hosts)) {
    for (const item of hosts.items) {
      if (!isMap(item)) continue;
      const role = text(item.get('role', true));
      const address = item.get('address', true);
      const host: InventoryHostInput = {
        name: text(item.get('name', true)) ?? '',
        line: lineOf(y, item),
        env: envEntries(y, item.get('env', true), source).map((e) => ({ key: e.key, value: e.raw ?? '', line: e.line })),
      };
      if (role && (ROLES as readonly string[]).includes(role)) host.role = role as Role;
      if (isScalar(address)) host.address = { value: String(address.value), line: lineOf(y, address) };
      out.push(host);
    }
  }
  return { inventory: { file, hosts: out } };
}
