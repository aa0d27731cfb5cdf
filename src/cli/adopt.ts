import { resolve } from 'node:path';
import { adoptCluster, type AdoptRequest } from '../cluster/adopt.js';
import { renderEnv, renderInventory } from '../cluster/adopt-files.js';
import { readEnvFile } from '../config/env-file.js';
import { hostKeyPolicy } from '../config/host-keys.js';
import { assertWritable, writeFileWhole } from '../config/write-new.js';
import { ExitCode, InputError } from '../errors.js';
import { withConnection } from '../db/connection.js';
import { registerSecret } from '../redact.js';
import type { GlobalOptions } from './globals.js';
import { setJsonResult, printLines } from './output.js';

interface AdoptFlags {
  out?: string;
  envOut?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  identityFile?: string;
  force: boolean;
  fromDb: boolean;
  sshUser?: string;
}

/** Every host db_tars knows (frameworks run a tarsnode too), reached over ssh as `user`. */
async function endpointsFromDb(g: GlobalOptions, user: string): Promise<string[]> {
  const env = readEnvFile(resolve(g.envFile ?? '.env')).values;
  const mysql = { host: env.MYSQL_HOST, port: Number(env.MYSQL_PORT), user: env.MYSQL_USER, password: env.MYSQL_ROOT_PASSWORD };
  const names = await withConnection(mysql, async (c) => {
    const [rows] = await c.query(`SELECT node_name FROM db_tars.t_node_info WHERE present_state = 'active' ORDER BY node_name`);
    return (rows as { node_name: string }[]).map((r) => r.node_name);
  }, { values: 'native' });
  if (names.length === 0) throw new InputError('db_tars.t_node_info lists no active host');
  return names.map((n) => `ssh://${user}@${n.includes(':') ? `[${n}]` : n}`);
}

export async function run([endpoints, opts]: unknown[], g: GlobalOptions): Promise<number> {
  const f = opts as AdoptFlags;
  const given = (endpoints as string[] | undefined) ?? [];
  const tlsParts = [f.tlsCa, f.tlsCert, f.tlsKey].filter(Boolean).length;
  if (tlsParts !== 0 && tlsParts !== 3) throw new InputError('--tls-ca, --tls-cert and --tls-key go together');
  if (f.fromDb && given.length) throw new InputError('give ENDPOINTs or --from-db, not both');
  if (f.fromDb && !f.sshUser) throw new InputError('--from-db needs --ssh-user USER (the hosts are reached over ssh)');
  const out = resolve(f.out ?? g.inventory ?? 'tars-docker.yml');
  assertWritable(out, f.force, '--out');
  if (f.envOut) assertWritable(resolve(f.envOut), f.force, '--env-out');
  const req: AdoptRequest = {
    endpoints: f.fromDb ? await endpointsFromDb(g, f.sshUser!) : given,
    ...(tlsParts ? { tls: { ca: resolve(f.tlsCa!), cert: resolve(f.tlsCert!), key: resolve(f.tlsKey!) } } : {}),
    ...(f.identityFile ? { identityFile: resolve(f.identityFile) } : {}),
    hostKeys: hostKeyPolicy(out, undefined, { acceptNew: g.acceptNewHostKeys, announce: (line) => process.stderr.write(`tars-docker: ${line}\n`) }),
  };
  const result = await adoptCluster(req);
  registerSecret(result.env.MYSQL_ROOT_PASSWORD);
  writeFileWhole(out, renderInventory(result.hosts), 0o644);
  if (f.envOut) writeFileWhole(resolve(f.envOut), renderEnv(result.env), 0o600);
  const hosts = result.hosts.map(({ entry: _entry, ...h }) => h);
  if (g.json) {
    setJsonResult({ inventory: out, ...(f.envOut ? { envFile: resolve(f.envOut) } : {}), hosts });
    return ExitCode.ok;
  }
  const by = (o: string) => (o === 'tars-docker' ? 'made by tars-docker' : o === 'compose' ? 'made by compose' : 'made by hand');
  printLines([
    ...result.hosts.map((h) => `${h.name}  ${h.role}  ${h.address} (${h.addressFrom})  ${h.container} (${by(h.origin)}, ${h.image})  ${h.entry.docker.endpoint}${h.hostKey ? `  host key ${h.hostKey}` : ''}`),
    `wrote ${out}`,
    ...(f.envOut ? [`wrote ${resolve(f.envOut)} (mode 0600)`] : []),
  ]);
  return ExitCode.ok;
}
