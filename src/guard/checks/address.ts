import type { VarValue } from '../interpolate.js';
import type { HostEnv } from '../planned.js';
import type { Finding, FindingSource, InventoryInput } from '../types.js';
import { isLoopback } from '../values.js';

/**
 * Each framework binds the address of DOMAIN, else of the INET interface; loopback or nothing is fatal to it.
 * The inventory's `address:` of a host lets a fix name the exact value to add.
 */
export function checkAddresses(envs: HostEnv[], inv?: InventoryInput): Finding[] {
  const addressOf = (host: string) => inv?.hosts.find((h) => h.name === host)?.address?.value;
  return envs.flatMap((h) => (h.role === 'node' ? nodeAddress(h, addressOf(h.host)) : frameworkAddress(h)));
}

function frameworkAddress(h: HostEnv): Finding[] {
  const domain = nonEmpty(h.env.get('DOMAIN'));
  if (domain) return loopback(h, 'DOMAIN', domain);
  const inet = h.env.get('INET');
  if (inet) return loopback(h, 'INET', inet);
  return [
    {
      id: 'address-missing',
      severity: 'warning',
      message: `neither INET nor DOMAIN is set for ${h.label}: the framework falls back to eth0's address`,
      source: h.origin,
      fix: `set DOMAIN (or INET) for ${h.host} to the address other hosts reach it on`,
    },
  ];
}

/** tars-node takes its address from DOMAIN, then TARS_DOMAIN, then eth0; it never reads INET. */
function nodeAddress(h: HostEnv, address: string | undefined): Finding[] {
  const out: Finding[] = [];
  if (!nonEmpty(h.env.get('WEB_HOST'))) {
    out.push({
      id: 'node-web-host-missing',
      severity: 'blocking',
      message: `WEB_HOST is not set for ${h.label}: it cannot download tarsnode from the master's web`,
      source: h.env.get('WEB_HOST')?.source ?? h.origin,
      fix: `set WEB_HOST for ${h.host} to the master's web, e.g. http://MASTER:3000`,
    });
  }
  const domain = nonEmpty(h.env.get('DOMAIN')) ?? nonEmpty(h.env.get('TARS_DOMAIN'));
  if (domain) return [...out, ...loopback(h, h.env.get('DOMAIN') === domain ? 'DOMAIN' : 'TARS_DOMAIN', domain)];
  const inet = nonEmpty(h.env.get('INET'));
  const empty = h.env.get('DOMAIN');
  out.push({
    id: 'node-domain-missing',
    // An INET that is set shows an address was meant; the node silently registers eth0's instead.
    severity: inet ? 'blocking' : 'warning',
    message: inet
      ? `${h.label} sets INET but no DOMAIN/TARS_DOMAIN: tars-node ignores INET and registers eth0's address`
      : `${empty ? 'DOMAIN is empty and TARS_DOMAIN unset' : 'neither DOMAIN nor TARS_DOMAIN is set'} for ${h.label}: tars-node registers eth0's address`,
    source: empty?.source ?? inet?.source ?? h.origin,
    fix: addDomain(h, empty?.source ?? h.origin, address),
  });
  return out;
}

/** The exact variable to add, where it goes, and its value when the inventory knows the host's address. */
function addDomain(h: HostEnv, where: FindingSource, address: string | undefined): string {
  const value = address ?? '<address the registry reaches it on>';
  switch (where.kind) {
    case 'container':
      return `recreate ${h.label} with DOMAIN=${value} in its environment (docker run -e DOMAIN=${value})`;
    case 'compose':
      return `add DOMAIN: "\${DOMAIN}" to this service's environment: (tars-docker fills in each host's address, ${value} for ${h.host})`;
    case 'inventory':
      return `put DOMAIN: "${value}" in the env: of host ${h.host}${address ? '' : ' (or give the host an address:)'}`;
    default:
      return `add DOMAIN=${value} to ${where.file ?? 'the environment'} for ${h.host}`;
  }
}

function loopback(h: HostEnv, key: string, v: VarValue): Finding[] {
  if (!isLoopback(v.value)) return [];
  const shown = v.value.trim() === '' ? 'empty' : JSON.stringify(v.value);
  return [
    {
      id: 'address-loopback',
      severity: 'blocking',
      message: `${key} is ${shown} for ${h.label}: servers would bind 127.0.0.1 (or nothing) and no other host can reach them`,
      source: v.source,
      fix: `set ${key} for ${h.host} to a routable interface or address`,
    },
  ];
}

function nonEmpty(v: VarValue | undefined): VarValue | undefined {
  return v && v.value.trim() !== '' ? v : undefined;
}

/** The inventory's own `address:` is what tars-docker hands out as DOMAIN or WEB_HOST. */
export function checkInventoryAddresses(inv: InventoryInput | undefined): Finding[] {
  return (inv?.hosts ?? []).flatMap((h) =>
    h.address && isLoopback(h.address.value)
      ? [
          {
            id: 'address-loopback',
            severity: 'blocking' as const,
            message: `address of host ${h.name} is ${JSON.stringify(h.address.value)}: other hosts cannot reach it there`,
            source: { kind: 'inventory' as const, file: inv!.file, line: h.address.line, host: h.name },
            fix: `set the address of ${h.name} to the one other hosts reach it on`,
          },
        ]
      : [],
  );
}
