import { existsSync, statSync } from 'node:fs';
import { run, tryRun } from './proc.js';
import { LAB_BRIDGE, LAB_GATEWAY, LAB_PREFIX, LINK_PREFIX, NETNS_PREFIX } from './types.js';
import type { HostState } from './types.js';

/** `ip` is given as a path so preflight's resolution is the only lookup. */
export interface Net {
  ip: string;
}

const netnsFile = (name: string) => `/run/netns/${name}`;

export function netnsExists(name: string): boolean {
  return existsSync(netnsFile(name));
}

/** Inode of a named namespace, to recognise the processes inside it. */
export function netnsInode(name: string): number | null {
  try {
    return statSync(netnsFile(name)).ino;
  } catch {
    return null;
  }
}

async function linkExists(net: Net, name: string, ns?: string): Promise<boolean> {
  const args = ns ? ['-n', ns, 'link', 'show', name] : ['link', 'show', name];
  return tryRun(net.ip, args);
}

/**
 * A fixed, locally administered MAC per lab address. A recreated host gets a fresh veth; with a random MAC the
 * neighbours' ARP entries (the machine's for the host, the hosts' for the gateway, since a bridge takes its
 * lowest port's MAC) stay pointed at the old one until they go stale, up to ~45 s of silently lost packets.
 */
export function labMac(address: string, side: 'host' | 'root'): string {
  const octets = address.split('.').map((o) => Number(o).toString(16).padStart(2, '0'));
  return [side === 'host' ? '02' : '06', '00', ...octets].join(':');
}

/** Idempotent: creates what is missing and re-asserts address and state of what exists. */
export async function ensureBridge(net: Net): Promise<void> {
  if (!(await linkExists(net, LAB_BRIDGE))) await run(net.ip, ['link', 'add', LAB_BRIDGE, 'type', 'bridge']);
  await run(net.ip, ['link', 'set', LAB_BRIDGE, 'address', labMac(LAB_GATEWAY, 'host')]);
  await run(net.ip, ['addr', 'replace', `${LAB_GATEWAY}/${LAB_PREFIX}`, 'dev', LAB_BRIDGE]);
  await run(net.ip, ['link', 'set', LAB_BRIDGE, 'up']);
}

export async function ensureHostNet(net: Net, host: HostState): Promise<void> {
  if (!netnsExists(host.netns)) await run(net.ip, ['netns', 'add', host.netns]);
  const ns = ['-n', host.netns];
  if (!(await linkExists(net, host.link))) {
    // The namespace end is created inside the namespace directly, so it never clashes with the root eth0.
    await run(net.ip, ['link', 'add', host.link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns]);
  }
  // One `ip` process per namespace instead of one per setting: these run for every host on every labUp.
  await run(net.ip, ['-batch', '-'], {
    input: [`link set ${host.link} address ${labMac(host.address, 'root')}`, `link set ${host.link} master ${LAB_BRIDGE}`, `link set ${host.link} up`, ''].join('\n'),
  });
  await run(net.ip, [...ns, '-batch', '-'], {
    input: [
      'link set lo up',
      `link set eth0 address ${labMac(host.address, 'host')}`,
      `addr replace ${host.address}/${LAB_PREFIX} dev eth0`,
      'link set eth0 up',
      `route replace default via ${LAB_GATEWAY}`,
      '',
    ].join('\n'),
  });
}

export async function hostNetHealthy(net: Net, host: HostState): Promise<boolean> {
  if (!netnsExists(host.netns) || !(await linkExists(net, host.link))) return false;
  try {
    const { stdout } = await run(net.ip, ['-n', host.netns, '-br', 'addr', 'show', 'eth0']);
    return stdout.includes(`${host.address}/`);
  } catch {
    return false;
  }
}

/** Deleting the root end removes its peer synchronously; namespace teardown alone is asynchronous. */
export async function deleteHostNet(net: Net, netns: string, link: string): Promise<void> {
  if (await linkExists(net, link)) await tryRun(net.ip, ['link', 'del', link]);
  if (netns && netnsExists(netns)) await run(net.ip, ['netns', 'del', netns]);
}

export async function deleteBridge(net: Net): Promise<void> {
  if (await linkExists(net, LAB_BRIDGE)) await run(net.ip, ['link', 'del', LAB_BRIDGE]);
}

/** Names of our kind found on the machine, whether or not any state file remembers them. */
export async function strayNames(net: Net): Promise<{ netns: string[]; links: string[] }> {
  const { stdout: nsOut } = await run(net.ip, ['netns', 'list']);
  const netns = nsOut
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(NETNS_PREFIX));
  const { stdout: linkOut } = await run(net.ip, ['-o', 'link', 'show']);
  const links = linkOut
    .split('\n')
    .map((l) => (l.split(': ')[1] ?? '').split('@')[0] ?? '')
    .filter((n) => n.startsWith(LINK_PREFIX) || n === LAB_BRIDGE);
  return { netns, links };
}

/** Bridged frames pass iptables FORWARD when br_netfilter is loaded; a DROP policy there would cut hosts apart. */
export async function allowBridgedTraffic(): Promise<string[] | null> {
  const rule = ['FORWARD', '-i', LAB_BRIDGE, '-o', LAB_BRIDGE, '-j', 'ACCEPT'];
  let policy: string;
  try {
    policy = (await run('iptables', ['-S', 'FORWARD'])).stdout;
  } catch {
    return null; // no iptables: nothing filters
  }
  if (policy.includes('-P FORWARD ACCEPT')) return null;
  if (!(await tryRun('iptables', ['-C', ...rule]))) await run('iptables', ['-I', ...rule]);
  return rule;
}

export async function removeForwardRule(rule: string[] | null): Promise<void> {
  if (rule) await tryRun('iptables', ['-D', ...rule]);
}
