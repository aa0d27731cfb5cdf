import { networkInterfaces } from 'node:os';

export function interfaceIPv4(name) {
  const found = (networkInterfaces()[name] ?? []).find((a) => a.family === 'IPv4' || a.family === 4);
  return found ? found.address : '';
}

// The real scripts refuse to register a cluster member under the loopback address or no address at all.
export function unusableAddress(address) {
  return address === '' || address === '127.0.0.1';
}
