import { stringify } from 'yaml';
import type { AdoptedHost } from './adopt.js';

/** Pure: the inventory of the adopted hosts, master first. */
export function renderInventory(hosts: AdoptedHost[], project = 'tars'): string {
  const head = '# Written by `tars-docker adopt` from the Tars containers found on these engines; nothing on them was changed.\n';
  return head + stringify({ project, hosts: hosts.map((h) => h.entry) });
}

const PLAIN = /^[A-Za-z0-9_./:,@%+=-]*$/;

/** Pure: KEY=VALUE lines dotenv reads back unchanged (single quotes are literal, so a value goes in them when it can). */
export function renderEnv(env: Record<string, string>): string {
  const quote = (v: string) => (PLAIN.test(v) ? v : !v.includes("'") ? `'${v}'` : `"${v.replace(/"/g, '\\"')}"`);
  const lines = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
  return `# Written by \`tars-docker adopt\` from the master container's own env.\n${lines.join('\n')}\n`;
}
