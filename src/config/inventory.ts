import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { isAddress } from './address.js';
import { fileIssueMessage } from './zod-messages.js';
import type { DockerEndpoint, HostConfig, HostKeyPolicy } from './types.js';
import { parseEndpoint } from './endpoint.js';
import { endpointFileProblem } from './endpoint-files.js';
import { hostKeyPolicy, type HostKeyOptions } from './host-keys.js';
import { HooksSchema, hooksOf, type Hooks } from './hooks.js';

const HostSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a simple name (letters, digits, . _ -)'),
    role: z.enum(['master', 'slave', 'node']),
    address: z.string().refine(isAddress, 'must be an IP address or a DNS name'),
    docker: z
      .object({
        endpoint: z.string().min(1),
        tls: z.object({ ca: z.string(), cert: z.string(), key: z.string() }).strict().optional(),
        identityFile: z.string().optional(),
      })
      .strict(),
    container: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a container name').optional(),
    env: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const InventorySchema = z
  .object({
    project: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, _ or -').default('tars'),
    knownHosts: z.string().min(1, 'must name a file').optional(),
    hosts: z.array(HostSchema).min(1, 'must list at least one host'),
    hooks: HooksSchema.optional(),
  })
  .strict();

export interface Inventory {
  project: string;
  hosts: (HostConfig & { env?: Record<string, string> })[];
  hostKeys: HostKeyPolicy;
  /** Commands run on the operator's machine around a rollout; their folder is the inventory's. */
  hooks: Hooks;
}

/** Reads `tars-docker.yml`; errors name the file and the key path, e.g. `hosts[2].role`. */
export function readInventory(file: string, keys: HostKeyOptions = { acceptNew: false }): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read inventory (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid YAML: ${firstLine(err)}`, { file });
  }
  if (doc === null || doc === undefined) throw new InputError(`${file}: is empty (it needs hosts: with at least the master)`, { file });
  const result = InventorySchema.safeParse(doc, { error: fileIssueMessage });
  if (!result.success) throw schemaError(file, result.error.issues[0]!.path, result.error.issues[0]!.message);
  const base = dirname(resolve(file));
  const hostKeys = hostKeyPolicy(resolve(file), result.data.knownHosts, keys);
  const hosts = result.data.hosts.map((h, i) => {
    const docker = endpointOf(file, i, h.docker, base, hostKeys);
    return { name: h.name, role: h.role, address: h.address, docker, ...(h.container ? { container: h.container } : {}), ...(h.env ? { env: h.env } : {}) };
  });
  checkUnique(file, hosts);
  return { project: result.data.project, hosts, hostKeys, hooks: hooksOf(result.data.hooks) };
}

function schemaError(file: string, path: PropertyKey[], message: string): InputError {
  const key = formatPath(path);
  return new InputError(`${file}: ${key || '(top level)'} ${message}`, { file, key });
}

/**
 * An entry about to be written into `file` as `hosts[index]`, checked by the same schema that reads the file,
 * so a command can never write an inventory that no command can read afterwards.
 */
export function checkHostEntry(file: string, index: number, entry: unknown): void {
  const result = HostSchema.safeParse(entry, { error: fileIssueMessage });
  if (!result.success) throw schemaError(file, ['hosts', index, ...result.error.issues[0]!.path], result.error.issues[0]!.message);
}

function endpointOf(
  file: string,
  index: number,
  spec: { endpoint: string; tls?: { ca: string; cert: string; key: string }; identityFile?: string },
  base: string,
  hostKeys: HostKeyPolicy,
): DockerEndpoint {
  let docker: DockerEndpoint;
  try {
    docker = parseEndpoint(spec, base, hostKeys);
  } catch (err) {
    throw new InputError(`${file}: hosts[${index}].docker ${firstLine(err)}`, { file, key: `hosts[${index}].docker` });
  }
  const problem = endpointFileProblem(docker);
  if (problem) throw new InputError(`${file}: hosts[${index}].docker.${problem[0]} ${problem[1]}`, { file, key: `hosts[${index}].docker.${problem[0]}` });
  return docker;
}

function checkUnique(file: string, hosts: HostConfig[]): void {
  hosts.forEach((h, i) => {
    const first = hosts.findIndex((o) => o.name === h.name);
    if (first < i) throw new InputError(`${file}: hosts[${i}].name "${h.name}" is listed twice`, { file, key: `hosts[${i}].name` });
    const sameAddress = hosts.findIndex((o) => o.address === h.address);
    if (sameAddress < i) {
      throw new InputError(`${file}: hosts[${i}].address ${h.address} is already the address of ${hosts[sameAddress]!.name}`, { file, key: `hosts[${i}].address` });
    }
  });
  const masters = hosts.filter((h) => h.role === 'master').length;
  if (masters !== 1) throw new InputError(`${file}: hosts must have exactly one master (found ${masters})`, { file });
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
