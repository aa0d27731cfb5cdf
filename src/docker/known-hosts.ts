import { createHmac, timingSafeEqual } from 'node:crypto';

/** One key line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  file: string;
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** The host names field as written: patterns, or one hashed `|1|salt|hmac` name. */
  hosts: string;
  keyType: string;
  /** The public key in SSH wire format, as a server presents it. */
  key: Buffer;
}

/** Reads known_hosts text; comments, unknown markers and malformed lines are skipped, as ssh skips them. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1);
      if (name !== 'revoked' && name !== 'cert-authority') return;
      marker = name;
    }
    const [hosts, keyType, encoded] = fields;
    if (!hosts || !keyType || !encoded) return;
    const key = Buffer.from(encoded, 'base64');
    // A key whose blob names another type is corrupt (or an old RSA1 line, whose second field is a number).
    if (keyTypeOf(key) !== keyType) return;
    entries.push({ file, line: i + 1, marker, hosts, keyType, key });
  });
  return entries;
}

/** The type name at the start of a key blob, e.g. `ssh-ed25519`; null when the blob is not one. */
export function keyTypeOf(key: Buffer): string | null {
  if (key.length < 4) return null;
  const length = key.readUInt32BE(0);
  if (length === 0 || 4 + length > key.length) return null;
  return key.toString('latin1', 4, 4 + length);
}

/** The name ssh looks a host up by: the host for port 22, `[host]:port` for any other. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Does a hosts field name `name`? Comma-separated patterns with `*` and `?`, `!` negates; or one hashed name. */
export function hostsFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) return hashedNameMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.toLowerCase().split(',')) {
    const negated = pattern.startsWith('!');
    if (!wildcardMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** `|1|base64(salt)|base64(HMAC-SHA1 of the name keyed by the salt)`, as `HashKnownHosts yes` writes. */
function hashedNameMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

function wildcardMatches(pattern: string, name: string): boolean {
  if (!pattern) return false;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
}

export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown'; otherTypes: string[] }
  | { kind: 'changed'; known: KnownHostEntry[] }
  | { kind: 'revoked'; entry: KnownHostEntry };

/**
 * What ssh concludes about `key` offered by `name`: a matching line anywhere makes it known; a line of the same
 * key type with another key makes it changed. A key marked @revoked is refused for every host, not only for the
 * names on its line. Host certificates are not negotiated, so @cert-authority lines vouch for nothing here.
 */
export function judgeHostKey(entries: KnownHostEntry[], name: string, key: Buffer): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === null && hostsFieldMatches(e.hosts, name));
  const same = forHost.find((e) => e.key.equals(key));
  if (same) return { kind: 'known', entry: same };
  const type = keyTypeOf(key);
  const sameType = forHost.filter((e) => e.keyType === type);
  if (sameType.length > 0) return { kind: 'changed', known: sameType };
  return { kind: 'unknown', otherTypes: [...new Set(forHost.map((e) => e.keyType))] };
}

/** Key types already recorded for `name`, so the connection can ask the server for one of those first, as ssh does. */
export function knownKeyTypes(entries: KnownHostEntry[], name: string): string[] {
  return [...new Set(entries.filter((e) => e.marker === null && hostsFieldMatches(e.hosts, name)).map((e) => e.keyType))];
}
