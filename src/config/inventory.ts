import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { DockerEndpoint, HostConfig } from './types.js';
import { parseEndpoint } from './endpoint.js';

const HostSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a simple name (letters, digits, . _ -)'),
    role: z.enum(['master', 'slave', 'node']),
    address: z.string().min(1, 'is required'),
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
    hosts: z.array(HostSchema).min(1, 'must list at least one host'),
  })
  .strict();

export interface Inventory {
  project: string;
  hosts: (HostConfig & { env?: Record<string, string> })[];
}

/** Reads `tars-docker.yml`; errors name the file and the key path, e.g. `hosts[2].role`. */
export function readInventory(file: string): Inventory {
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
  const result = InventorySchema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = formatPath(issue.path);
    throw new InputError(`${file}: ${key || '(top level)'} ${issue.message}`, { file, key });
  }
  const base = dirname(resolve(file));
  const hosts = result.data.hosts.map((h, i) => {
    const docker = endpointOf(file, i, h.docker, base);
    return { name: h.name, role: h.role, address: h.address, docker, ...(h.container ? { container: h.container } : {}), ...(h.env ? { env: h.env } : {}) };
  });
  checkUnique(file, hosts);
  return { project: result.data.project, hosts };
}

function endpointOf(
  file: string,
  index: number,
  spec: { endpoint: string; tls?: { ca: string; cert: string; key: string }; identityFile?: string },
  base: string,
): DockerEndpoint {
  try {
    return parseEndpoint(spec, base);
  } catch (err) {
    throw new InputError(`${file}: hosts[${index}].docker ${firstLine(err)}`, { file, key: `hosts[${index}].docker` });
  }
}

function checkUnique(file: string, hosts: HostConfig[]): void {
  const seen = new Set<string>();
  hosts.forEach((h, i) => {
    if (seen.has(h.name)) throw new InputError(`${file}: hosts[${i}].name "${h.name}" is listed twice`, { file });
    seen.add(h.name);
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
