import { isIP } from 'node:net';

const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** An IPv4/IPv6 address or a DNS name; dotted numbers that are not an IPv4 address (999.1.2.3) are neither. */
export function isAddress(value: string): boolean {
  if (isIP(value) !== 0) return true;
  if (/^[\d.]+$/.test(value) || value.length > 253) return false;
  return value.split('.').every((label) => DNS_LABEL.test(label));
}
