import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fingerprint, hostKeyCheck, HostKeyRefused } from '../../src/docker/host-key.js';
import { InputError } from '../../src/errors.js';
import { hostsFieldMatches, judgeHostKey, knownHostsName, parseKnownHosts } from '../../src/docker/known-hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'known-hosts-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A real key made by ssh-keygen: its `.pub` line and its blob. */
function makeKey(name: string, type = 'ed25519'): { line: string; blob: Buffer; pub: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  const line = readFileSync(`${file}.pub`, 'utf8').trim();
  return { line, blob: Buffer.from(line.split(' ')[1]!, 'base64'), pub: `${file}.pub` };
}

const a = makeKey('a');
const b = makeKey('b');
const rsa = makeKey('r', 'rsa');
const keyPart = (k: { line: string }) => k.line.split(' ').slice(0, 2).join(' ');

describe('known_hosts', () => {
  it('fingerprints a key exactly as ssh-keygen -l does', () => {
    const shown = execFileSync('ssh-keygen', ['-lf', a.pub], { encoding: 'utf8' }).split(' ')[1];
    assert.equal(fingerprint(a.blob), shown);
  });

  it('knows a listed key, calls a different key of the same type changed, and a host without lines unknown', () => {
    const entries = parseKnownHosts(`# comment\n\n10.0.0.5 ${keyPart(a)}\n10.0.0.6 ${keyPart(rsa)}\n`, 'kh');
    assert.equal(judgeHostKey(entries, '10.0.0.5', a.blob).kind, 'known');
    const changed = judgeHostKey(entries, '10.0.0.5', b.blob);
    assert.equal(changed.kind, 'changed');
    assert.equal(changed.kind === 'changed' && changed.known[0]!.line, 3);
    assert.deepEqual(judgeHostKey(entries, '10.0.0.6', a.blob), { kind: 'unknown', otherTypes: ['ssh-rsa'] });
    assert.deepEqual(judgeHostKey(entries, '10.0.0.7', a.blob), { kind: 'unknown', otherTypes: [] });
  });

  it('matches entries hashed by ssh-keygen -H, for port 22 and [host]:port', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `10.0.0.5 ${keyPart(a)}\n[10.0.0.5]:2222 ${keyPart(b)}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
    assert.ok(entries.every((e) => e.hosts.startsWith('|1|')), 'ssh-keygen hashed every line');
    assert.equal(knownHostsName('10.0.0.5', 2222), '[10.0.0.5]:2222');
    assert.equal(judgeHostKey(entries, knownHostsName('10.0.0.5', 22), a.blob).kind, 'known');
    assert.equal(judgeHostKey(entries, knownHostsName('10.0.0.5', 2222), b.blob).kind, 'known');
    assert.equal(judgeHostKey(entries, knownHostsName('10.0.0.5', 2222), a.blob).kind, 'changed');
    assert.equal(judgeHostKey(entries, knownHostsName('10.0.0.5', 2200), b.blob).kind, 'unknown');
  });

  it('reads patterns with wildcards and negation, case-insensitively', () => {
    assert.equal(hostsFieldMatches('*.Example.com,!bad.example.com', 'web.example.com'), true);
    assert.equal(hostsFieldMatches('*.example.com,!bad.example.com', 'bad.example.com'), false);
    assert.equal(hostsFieldMatches('10.0.0.?', '10.0.0.7'), true);
    assert.equal(hostsFieldMatches('10.0.0.?', '10.0.0.17'), false);
    assert.equal(hostsFieldMatches('[10.0.0.*]:2222', '[10.0.0.9]:2222'), true);
    assert.equal(hostsFieldMatches('10.0.0.5', '[10.0.0.5]:2222'), false);
  });

  it('refuses a @revoked key for any host, and @cert-authority lines vouch for nothing', () => {
    const entries = parseKnownHosts(`@revoked * ${keyPart(a)}\n@cert-authority *.lan ${keyPart(b)}\nhost.lan ${keyPart(a)}\n`, 'kh');
    assert.equal(judgeHostKey(entries, 'host.lan', a.blob).kind, 'revoked');
    assert.equal(judgeHostKey(entries, 'other.lan', b.blob).kind, 'unknown');
  });

  it('skips malformed lines, unknown markers and keys whose blob names another type', () => {
    const wrongType = `host ssh-rsa ${a.line.split(' ')[1]}`;
    const text = `garbage\n@weird host ${keyPart(a)}\nhost 2048 35 12345\n${wrongType}\nhost ${keyPart(b)} comment words\n`;
    const entries = parseKnownHosts(text, 'kh');
    assert.deepEqual(entries.map((e) => e.line), [5]);
  });
});

describe('host key check', () => {
  const policyFor = (name: string, acceptNew: boolean) => {
    const own = join(dir, name, 'known_hosts');
    return { files: [join(dir, 'absent'), own], recordTo: own, acceptNew };
  };

  it('refuses an unknown host with its fingerprint and the flag, and records it with accept-new', () => {
    const refusing = policyFor('accept', false);
    assert.throws(() => hostKeyCheck(refusing, '10.0.0.5', 2222).verify(a.blob), (err: Error) => {
      assert.ok(err instanceof HostKeyRefused);
      assert.match(err.message, /^host key of \[10\.0\.0\.5\]:2222 is not known: ssh-ed25519 SHA256:\S+; .*--accept-new-host-keys.*known_hosts$/);
      assert.ok(err.message.includes(fingerprint(a.blob)));
      return true;
    });
    const accepting = { ...refusing, acceptNew: true };
    const result = hostKeyCheck(accepting, '10.0.0.5', 2222).verify(a.blob);
    assert.deepEqual(result, { type: 'ssh-ed25519', fingerprint: fingerprint(a.blob), recordedIn: accepting.recordTo });
    assert.equal(readFileSync(accepting.recordTo, 'utf8'), `[10.0.0.5]:2222 ${keyPart(a)}\n`);
    assert.deepEqual(hostKeyCheck(refusing, '10.0.0.5', 2222).verify(a.blob), { type: 'ssh-ed25519', fingerprint: fingerprint(a.blob) });
  });

  it('refuses a changed key even with accept-new, naming both fingerprints, and leaves the file as it was', () => {
    const policy = policyFor('changed', true);
    hostKeyCheck(policy, 'h', 22).verify(a.blob);
    const before = readFileSync(policy.recordTo, 'utf8');
    assert.throws(() => hostKeyCheck(policy, 'h', 22).verify(b.blob), (err: Error) => {
      assert.match(err.message, /^HOST KEY CHANGED for h: /);
      assert.ok(err.message.includes(fingerprint(a.blob)) && err.message.includes(fingerprint(b.blob)));
      return true;
    });
    assert.equal(readFileSync(policy.recordTo, 'utf8'), before);
  });

  it('a known-hosts file that cannot be read is bad input naming it; one that is missing is empty', () => {
    const policy = { ...policyFor('unreadable', false), files: [join(dir, 'absent'), dir] };
    assert.throws(() => hostKeyCheck(policy, 'h', 22), (err: Error) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.message, `${dir}: cannot read known hosts (EISDIR)`);
      return true;
    });
  });

  it('asks the server first for the key types already known for the host', () => {
    const policy = policyFor('prefer', false);
    writeFileSync(join(dir, 'prefer-kh'), `h ${keyPart(rsa)}\n`);
    const check = hostKeyCheck({ ...policy, files: [join(dir, 'prefer-kh')] }, 'h', 22);
    assert.deepEqual(check.preferred, ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.deepEqual(hostKeyCheck(policy, 'h', 22).preferred, []);
  });
});
