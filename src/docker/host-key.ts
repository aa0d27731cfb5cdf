import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HostKeyPolicy } from '../config/types.js';
import { InputError } from '../errors.js';
import { judgeHostKey, keyTypeOf, knownHostsName, knownKeyTypes, parseKnownHosts, type KnownHostEntry } from './known-hosts.js';

/** The key a host proved it holds; `recordedIn` is set when this connection added it to a known-hosts file. */
export interface HostKeyResult {
  type: string;
  fingerprint: string;
  recordedIn?: string;
}

/** A host key ssh would refuse; the message is one line, without the inventory host's name. */
export class HostKeyRefused extends Error {}

/** `SHA256:` and the unpadded base64 of the key blob's digest, the form `ssh-keygen -l` prints. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export interface HostKeyCheck {
  /** Host key algorithms of the types already known for this host, which the server is asked for first. */
  preferred: string[];
  /** Accepts (and with acceptNew records) the offered key, or throws HostKeyRefused. */
  verify(key: Buffer): HostKeyResult;
}

/** Reads the known-hosts files for one connection to host:port (each connection reads them anew). */
export function hostKeyCheck(policy: HostKeyPolicy, host: string, port: number): HostKeyCheck {
  const name = knownHostsName(host, port);
  const entries = policy.files.flatMap(readKnownHosts);
  return {
    preferred: knownKeyTypes(entries, name).flatMap(algorithmsOf),
    verify: (key) => verifyKey(policy, entries, name, key),
  };
}

function verifyKey(policy: HostKeyPolicy, entries: KnownHostEntry[], name: string, key: Buffer): HostKeyResult {
  const type = keyTypeOf(key) ?? 'unknown-type';
  const offered = `${type} ${fingerprint(key)}`;
  const verdict = judgeHostKey(entries, name, key);
  switch (verdict.kind) {
    case 'known':
      return { type, fingerprint: fingerprint(key) };
    case 'revoked':
      throw new HostKeyRefused(`host key of ${name} (${offered}) is marked @revoked in ${where(verdict.entry)}; refusing to connect`);
    case 'changed': {
      const known = verdict.known.map((e) => `${fingerprint(e.key)} (${where(e)})`).join(', ');
      throw new HostKeyRefused(
        `HOST KEY CHANGED for ${name}: it offered ${offered}, known is ${known}; refusing to connect ` +
          `whatever the flags (if the host really got a new key, delete the old line and connect again)`,
      );
    }
    case 'unknown': {
      const others = verdict.otherTypes.length ? ` (only ${verdict.otherTypes.join(', ')} keys are known for it)` : '';
      if (!policy.acceptNew) {
        throw new HostKeyRefused(
          `host key of ${name} is not known${others}: ${offered}; if that is the host's key, ` +
            `run again with --accept-new-host-keys to record it in ${policy.recordTo}`,
        );
      }
      record(policy.recordTo, `${name} ${type} ${key.toString('base64')}`);
      return { type, fingerprint: fingerprint(key), recordedIn: policy.recordTo };
    }
  }
}

function readKnownHosts(file: string): KnownHostEntry[] {
  try {
    return parseKnownHosts(readFileSync(file, 'utf8'), file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new InputError(`${file}: cannot read known hosts (${code ?? 'error'})`, { file });
  }
}

function record(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true });
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // A file that is not there yet is created by the append below.
  }
  appendFileSync(file, `${text && !text.endsWith('\n') ? '\n' : ''}${line}\n`, { mode: 0o644 });
}

const where = (e: KnownHostEntry) => `${e.file}:${e.line}`;

/** An RSA key is offered through any of its three signature algorithms. */
function algorithmsOf(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return SSH2_HOST_KEY_ALGORITHMS.includes(keyType) ? [keyType] : [];
}

/** What ssh2 can negotiate; a known type outside it (e.g. a security-key type) cannot be asked for. */
const SSH2_HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-dss'];
