import { stringify } from 'yaml';
import { InputError } from '../errors.js';
import type { AdoptedHost } from './adopt.js';

/** Pure: the inventory of the adopted hosts, master first. */
export function renderInventory(hosts: AdoptedHost[], project = 'tars'): string {
  const head = '# Written by `tars-docker adopt` from the Tars containers found on these engines; nothing on them was changed.\n';
  return head + stringify({ project, hosts: hosts.map((h) => h.entry) });
}

const PLAIN = /^[A-Za-z0-9_./:,@%+=-]*$/;

/** Pure: KEY=VALUE lines dotenv reads back unchanged (inside quotes dotenv takes the text literally). */
export function renderEnv(env: Record<string, string>): string {
  const quote = (v: string) => {
    if (PLAIN.test(v)) return v;
    const q = ["'", '`', '"'].find((c) => !v.includes(c) && !v.includes('\n'));
    if (!q) throw new InputError('a value of the master container\'s env holds every quote character or a newline: it cannot go into an env file');
    return `${q}${v}${q}`;
  };
  const lines = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
  return `# Written by \`tars-docker adopt\` from the master container's own env.\n${lines.join('\n')}\n`;
}
