import type { HostEnv } from '../planned.js';
import type { Setting } from '../settings.js';
import type { Finding, InventoryInput } from '../types.js';

/** A slave without SLAVE=true runs the master's install scripts against the shared MySQL. */
export function checkSlave(envs: HostEnv[]): Finding[] {
  const out: Finding[] = [];
  for (const h of envs) {
    if (h.role === 'node') continue;
    const slave = h.env.get('SLAVE');
    const value = slave?.value;
    const shown = value === undefined ? 'SLAVE is not set' : `SLAVE=${JSON.stringify(value)}`;
    if (h.role === 'slave' && value !== 'true') {
      out.push({
        id: 'slave-mismatch',
        severity: 'blocking',
        message: `${shown} for ${h.label}: it would start as a master and run the master's install scripts`,
        source: slave?.source ?? h.origin,
        fix: `give ${h.host} SLAVE=true (only exact "true" makes a slave)`,
      });
    } else if (h.role === 'master' && value === 'true') {
      out.push({
        id: 'slave-mismatch',
        severity: 'blocking',
        message: `SLAVE=true for ${h.label}: the master would start as a slave and no host would run the master's servers`,
        source: slave!.source,
        fix: `give ${h.host} SLAVE=false`,
      });
    } else if (h.role === 'master' && value !== undefined && value !== '' && value !== 'false') {
      out.push({
        id: 'slave-unclear',
        severity: 'warning',
        message: `${shown} for ${h.label}: read as "not a slave", but it looks like it meant something else`,
        source: slave!.source,
        fix: `give ${h.host} SLAVE=false`,
      });
    }
  }
  return out;
}

/**
 * SLAVE written in a file is judged too, not only after tars-docker's own values win: an inventory override
 * that contradicts its host's role is wrong outright, and one SLAVE in a shared file is wrong for some host.
 */
export function checkSlaveSources(settings: Setting[], inventory: InventoryInput | undefined): Finding[] {
  const hosts = (inventory?.hosts ?? []).filter((h) => h.role === 'master' || h.role === 'slave');
  const out: Finding[] = [];
  const judged = settings.filter((x) => x.key === 'SLAVE' && x.source.kind !== 'container' && (x.feeds === 'any' || x.feeds === 'framework'));
  for (const s of judged) {
    const bound = s.source.kind === 'inventory' ? hosts.filter((h) => h.name === s.source.host) : hosts;
    const wrong = bound.filter((h) => (h.role === 'slave') !== (s.value === 'true'));
    if (wrong.length === 0) continue;
    const names = wrong.map((h) => `${h.role} host ${h.name}`).join(', ');
    const own = s.source.kind === 'inventory';
    out.push({
      id: 'slave-mismatch',
      severity: own ? 'blocking' : 'warning',
      message: own
        ? `SLAVE=${JSON.stringify(s.value)} contradicts the role of ${names}`
        : `SLAVE=${JSON.stringify(s.value)} here applies to every host, and is wrong for ${names} when compose is run by hand`,
      source: s.source,
      fix: own ? 'remove this override (tars-docker sets SLAVE from the role) or fix the role' : 'remove SLAVE from this shared source; tars-docker sets it per host from the role',
    });
  }
  return out;
}
