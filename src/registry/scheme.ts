import { isIP } from 'node:net';
import { InputError } from '../errors.js';

/**
 * Plain HTTP is used exactly where dockerd would allow it: loopback registries and the registries the operator
 * listed as insecure (host, host:port or an IPv4 CIDR, like dockerd's `insecure-registries`). Unlike dockerd we
 * do not try HTTPS first and fall back: the decision is made up front so a failure names one URL.
 */
export function isInsecureRegistry(registry: string, insecure: readonly string[] = []): boolean {
  const { host } = splitHostPort(registry);
  if (isLoopback(host)) return true;
  for (const entry of insecure) {
    const e = entry.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
    if (!e) continue;
    if (e.includes('/')) {
      if (inCidr(host, e)) return true;
    } else if (e === registry.toLowerCase() || e === host.toLowerCase()) {
      return true;
    }
  }
  return false;
}

/** Base URL (no trailing slash) of a registry's API; an explicit scheme in `registry` wins. */
export function registryBaseUrl(registry: string, insecure: readonly string[] = []): string {
  const explicit = /^(https?):\/\//i.exec(registry);
  if (explicit) return registry.replace(/\/+$/, '');
  return `${isInsecureRegistry(registry, insecure) ? 'http' : 'https'}://${registry}`;
}

export function splitHostPort(registry: string): { host: string; port?: number } {
  const bare = registry.replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(bare);
  if (v6) return v6[2] ? { host: v6[1]!, port: Number(v6[2]) } : { host: v6[1]! };
  const m = /^([^:]+)(?::(\d+))?$/.exec(bare);
  if (!m) return { host: bare };
  return m[2] ? { host: m[1]!, port: Number(m[2]) } : { host: m[1]! };
}

function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

function inCidr(host: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!net || isIP(net) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw new InputError(`invalid insecure registry CIDR "${cidr}" (only IPv4 CIDRs are supported)`);
  }
  if (isIP(host) !== 4) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((ipv4(host) & mask) >>> 0) === ((ipv4(net) & mask) >>> 0);
}

function ipv4(addr: string): number {
  return addr.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}
