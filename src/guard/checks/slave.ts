import type { HostEnv } from '../planned.js';
import type { Finding } from '../types.js';

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
