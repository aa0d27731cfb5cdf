import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Pair } from 'yaml';
import type { ComposeFileInput, ComposeServiceInput, Finding, ServiceKind } from './types.js';
import { deref, envEntries, getMerged, lineOf, parseYaml, text, type YamlSource } from './yaml-env.js';

export interface ParsedCompose {
  compose?: ComposeFileInput;
  problem?: Finding;
}

/** The parts of a compose file the guard judges: each service's environment and env_file, with lines. */
export function parseComposeText(source: string, file: string): ParsedCompose {
  const y = parseYaml(source);
  const err = y.doc.errors[0];
  if (err) return { problem: unreadable('compose', file, err.linePos?.[0].line, err.message) };
  const services = y.doc.get('services', true);
  const out: ComposeServiceInput[] = [];
  if (isMap(services)) {
    for (const pair of services.items) out.push(service(y, pair as Pair, source, dirname(resolve(file))));
  }
  return { compose: { file, services: out } };
}

function service(y: YamlSource, pair: Pair, source: string, base: string): ComposeServiceInput {
  const name = text(pair.key) ?? '';
  const get = (key: string): unknown => getMerged(y, pair.value, key);
  const environment = envEntries(y, get('environment'), source).map(({ key, raw, line }) => ({ key, raw, line }));
  return {
    name,
    kind: kindOf(name, text(get('image')), text(get('container_name'))),
    line: lineOf(y, pair.key),
    environment,
    envFiles: envFiles(y, deref(y, get('env_file')), base),
  };
}

function envFiles(y: YamlSource, node: unknown, base: string): { file: string; line: number }[] {
  const items = isSeq(node) ? node.items : node === undefined ? [] : [node];
  const out: { file: string; line: number }[] = [];
  for (const item of items) {
    // Compose v2 also accepts `- path: x.env` with `required: false`.
    const pathNode = isMap(item) ? item.get('path', true) : item;
    if (isScalar(pathNode)) out.push({ file: resolve(base, String(pathNode.value)), line: lineOf(y, pathNode) });
  }
  return out;
}

/**
 * Which contract a service follows decides which host checks apply to it. The image is usually a variable
 * (`${NODE_IMAGE}:${NODE_TAG}`), so its raw text, the service name and container_name are all looked at.
 */
export function kindOf(name: string, image = '', containerName = ''): ServiceKind {
  const all = `${image} ${name} ${containerName}`.toLowerCase();
  if (/mysql|mariadb/.test(all)) return 'other';
  if (/tars-?node|node_image/.test(all)) return 'node';
  if (/framework|tars/.test(all)) return 'framework';
  return 'other';
}

export function unreadable(kind: 'compose' | 'inventory', file: string, line: number | undefined, detail: string): Finding {
  return {
    id: 'source-unreadable',
    severity: 'blocking',
    message: `cannot be parsed, so REBUILD in it cannot be checked: ${detail.split('\n')[0]}`,
    source: { kind, file, ...(line ? { line } : {}) },
    fix: 'correct the YAML so the guard can read it',
  };
}
