// Issue #10, "Done when": every case of the bad-input corpus (bad-input-cases.ts) through the real CLI against the
// shared lab, with and without --json: the exit code, one line on stderr naming the file, key, flag or host, one
// JSON document on stdout under --json, no secret anywhere, and nothing changed on any host or in any database.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import type { Config } from '../../src/config/types.js';
import { LAB_GOOD_VERSIONS, LAB_VERSIONS } from '../../src/lab/image-versions.js';
import { parseReference } from '../../src/registry/reference.js';
import { runCli, type CliResult } from '../support/cli.js';
import { clusterState, stateChanges, type ClusterState } from '../support/cluster-state.js';
import { cli, freshCluster, LAB_DIR, LAB_ENV, LAB_INVENTORY, labConfig } from '../support/lab.js';
import { BAD_INPUT_CASES, type BadInputCase, type EnvSpec, type InventorySpec } from './bad-input-cases.js';

const root = mkdtempSync(join(tmpdir(), 'td-bad-input-'));
const labEnvText = readFileSync(LAB_ENV, 'utf8');
/** Values that must never appear in any output: the lab's and the ones the cases write. */
const secrets: string[] = ['secret-without-end', 'wrong-password-123', 'hook-secret-77', 'wrong-registry-pass'];

let baseInventoryText = '';
let config: Config;
let vars: Record<string, string> = {};
let baseline: ClusterState;

async function labStatus(): Promise<{ healthy: boolean; version: string | null }> {
  const r = await cli(['--json', 'status']);
  const doc = JSON.parse(r.stdout) as { healthy: boolean; hosts: { role: string; image: string | null }[] };
  // the master's image tag: status's `version` may be the image's inner framework version, another version space
  const image = doc.hosts.find((h) => h.role === 'master')?.image ?? '';
  return { healthy: doc.healthy, version: /:(v[^:/]+)$/.exec(image)?.[1] ?? null };
}

const expand = (text: string, dir: string) => text.replace(/\{([a-zA-Z]+(?::[\w-]+)?)\}/g, (all, key: string) => (key === 'dir' ? dir : (vars[key] ?? all)));

function envText(spec: EnvSpec, dir: string): string {
  if (spec.text !== undefined) return expand(spec.text, dir);
  let lines = labEnvText.replace(/\n$/, '').split('\n');
  lines = lines.filter((l) => !(spec.drop ?? []).some((k) => l.startsWith(`${k}=`)));
  for (const [key, value] of Object.entries(spec.set ?? {})) {
    const line = `${key}=${expand(value, dir)}`;
    const at = lines.findIndex((l) => l.startsWith(`${key}=`));
    if (at >= 0) lines[at] = line;
    else lines.push(line);
  }
  return `${[...lines, ...(spec.lines ?? []).map((l) => expand(l, dir))].join('\n')}\n`;
}

function inventoryText(spec: InventorySpec, dir: string): string {
  if (spec.text !== undefined) return expand(spec.text, dir);
  const doc = parseDocument(baseInventoryText);
  const value = (v: unknown): unknown => (typeof v === 'string' ? expand(v, dir) : Array.isArray(v) ? v.map(value) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)])) : v);
  for (const path of spec.drop ?? []) doc.deleteIn(path);
  for (const [path, v] of spec.set ?? []) doc.setIn(path, value(v));
  return String(doc);
}

/** The case's folder: its .env (0600, as the guard wants it), its inventory, its files and its tmpfs. */
function prepare(c: BadInputCase, index: number): { dir: string; cleanup: () => void } {
  const dir = join(root, String(index));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.env'), c.env ? envText(c.env, dir) : labEnvText, { mode: 0o600 });
  writeFileSync(join(dir, 'tars-docker.yml'), c.inventory ? inventoryText(c.inventory, dir) : baseInventoryText);
  for (const [name, content] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), expand(content, dir));
  }
  if (!c.mount) return { dir, cleanup: () => {} };
  const mnt = join(dir, 'mnt');
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', c.mount === 'read-only' ? 'ro,size=1m' : 'size=64k', 'tmpfs', mnt]);
  if (c.mount === 'full') fill(join(mnt, 'filler'));
  return { dir, cleanup: () => execFileSync('umount', [mnt]) };
}

function fill(file: string): void {
  try {
    writeFileSync(file, Buffer.alloc(1024 * 1024));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
}

function assertOutcome(c: BadInputCase, r: CliResult, json: boolean): void {
  const label = `${json ? '--json ' : ''}${c.name}`;
  assert.equal(r.code, c.exit, `${label}: exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${label}: one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, c.message, `${label}: the message`);
  for (const out of [r.stdout, r.stderr]) for (const s of secrets) assert.ok(!out.includes(s), `${label}: a secret in the output`);
  if (!json) return;
  let doc: { error?: { code?: number; message?: string } };
  assert.doesNotThrow(() => (doc = JSON.parse(r.stdout)), `${label}: stdout is one JSON document: ${r.stdout}`);
  assert.equal(doc!.error?.code, c.exit, `${label}: error.code`);
  assert.ok(doc!.error?.message && lines[0]!.endsWith(doc!.error.message), `${label}: error.message is the stderr line: ${doc!.error?.message}`);
}

async function assertNothingChanged(label: string): Promise<void> {
  assert.deepEqual(stateChanges(baseline, await clusterState(config)), [], `${label}: hosts and databases as they were`);
}

describe('bad input: one line, the right exit code, nothing changed', { concurrency: 4 }, () => {
  before(async () => {
    // Each case's inventory lives in its own folder: it must name the lab's known_hosts, or h3's key is unknown.
    const labInventory = parseDocument(readFileSync(LAB_INVENTORY, 'utf8'));
    if (!labInventory.has('knownHosts')) labInventory.set('knownHosts', join(LAB_DIR, 'known_hosts'));
    baseInventoryText = String(labInventory);
    config = labConfig();
    assert.deepEqual(config.hosts.slice(0, 4).map((h) => `${h.name}:${h.role}`), ['h1:master', 'h2:slave', 'h3:node', 'h4:node'], 'the corpus is written for the lab\'s first four hosts');
    let s = await labStatus();
    // the corpus needs a good version below the running one; above it any lab version will do, even the one that
    // never becomes healthy, since no case may get as far as restarting a host
    if (!s.healthy || LAB_GOOD_VERSIONS.indexOf(s.version ?? '') < 1) {
      await freshCluster(LAB_GOOD_VERSIONS[2]!);
      s = await labStatus();
    }
    const running = s.version!;
    const older = LAB_GOOD_VERSIONS[LAB_GOOD_VERSIONS.indexOf(running) - 1]!;
    const newer = LAB_VERSIONS[LAB_VERSIONS.indexOf(running) + 1];
    assert.ok(newer, `a lab version above ${running}`);
    const secretValues = [config.mysql.password, config.registry.password, ...Object.values(JSON.parse(readFileSync(join(LAB_DIR, 'secrets.json'), 'utf8')) as string[])];
    secrets.push(...secretValues.filter((v): v is string => typeof v === 'string' && v.length >= 6));
    vars = {
      lab: LAB_DIR, running, older, newer,
      registryHost: parseReference(`${config.images.framework}:x`).registry.replace(/:\d+$/, ''),
      ...Object.fromEntries(config.hosts.flatMap((h) => [[`address:${h.name}`, h.address], [`endpoint:${h.name}`, h.docker.url]])),
    };
    baseline = await clusterState(config);
  });

  after(async () => {
    try {
      await assertNothingChanged('after the whole corpus');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  BAD_INPUT_CASES.forEach((c, index) => {
    it(c.name, async () => {
      const { dir, cleanup } = prepare(c, index);
      try {
        const args = ['--env-file', join(dir, '.env'), '--inventory', join(dir, 'tars-docker.yml'), ...c.args.map((a) => expand(a, dir))];
        assertOutcome(c, await runCli(args, { timeoutMs: 120_000 }), false);
        assertOutcome(c, await runCli(['--json', ...args], { timeoutMs: 120_000 }), true);
        // Once for both runs: a change by either shows, and the whole-corpus check after() catches the rest.
        if (c.mutating || c.issueItem) await assertNothingChanged(c.name);
      } finally {
        cleanup();
      }
    });
  });
});

describe('the bad-input corpus', () => {
  it('has at least 150 cases with distinct names, and covers every command family', () => {
    assert.ok(BAD_INPUT_CASES.length >= 150, `${BAD_INPUT_CASES.length} cases`);
    assert.equal(new Set(BAD_INPUT_CASES.map((c) => c.name)).size, BAD_INPUT_CASES.length, 'distinct names');
    const families = new Set(BAD_INPUT_CASES.map((c) => c.name.split(/[: ]/)[0]));
    for (const f of ['env', 'inventory', 'cli', 'status', 'check', 'watch', 'guard', 'install', 'upgrade', 'rollback', 'scale', 'migrate', 'backup', 'lab']) {
      assert.ok(families.has(f) || BAD_INPUT_CASES.some((c) => c.args.includes(f)), `no case for ${f}`);
    }
  });
});
