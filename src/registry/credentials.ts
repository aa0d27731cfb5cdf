import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { registerSecret } from '../redact.js';
import { RegistryError } from './errors.js';
import { DOCKER_HUB } from './reference.js';

export type Credentials =
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token, as `docker login` stores it for some registries (Username `<token>`). */
  | { kind: 'identity'; token: string };

export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** The key `docker login` uses for Docker Hub, in `auths` and when asking helpers. */
const HUB_SERVER = 'https://index.docker.io/v1/';

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');
}

export async function readDockerConfig(path: string): Promise<DockerConfigFile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    return JSON.parse(text) as DockerConfigFile;
  } catch (err) {
    throw new RegistryError('credentials', `${path} is not valid JSON`, undefined, { cause: err });
  }
}

function normalizeKey(key: string): string {
  const host = key.replace(/^https?:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}

/** Same precedence as the docker CLI: a per-registry helper, then the default store, then inline `auths`. */
export async function credentialsFromDockerConfig(
  config: DockerConfigFile,
  registry: string,
  helperTimeoutMs = 5000,
): Promise<Credentials | null> {
  const server = registry === DOCKER_HUB ? HUB_SERVER : registry;
  const helper = Object.entries(config.credHelpers ?? {}).find(([k]) => normalizeKey(k) === registry)?.[1];
  if (helper) return runHelper(helper, server, registry, helperTimeoutMs);
  if (config.credsStore) {
    const found = await runHelper(config.credsStore, server, registry, helperTimeoutMs);
    if (found) return found;
  }
  const entry = Object.entries(config.auths ?? {}).find(([k]) => normalizeKey(k) === registry)?.[1];
  if (!entry) return null;
  if (entry.identitytoken) {
    registerSecret(entry.identitytoken);
    return { kind: 'identity', token: entry.identitytoken };
  }
  if (entry.auth) {
    registerSecret(entry.auth);
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return basic(decoded.slice(0, colon), decoded.slice(colon + 1));
  }
  if (entry.username && entry.password) return basic(entry.username, entry.password);
  return null;
}

function basic(username: string, password: string): Credentials {
  registerSecret(password);
  return { kind: 'basic', username, password };
}

/** `docker-credential-<name> get` reads the server URL on stdin and prints `{ServerURL, Username, Secret}`. */
function runHelper(name: string, server: string, registry: string, timeoutMs: number): Promise<Credentials | null> {
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    let errText = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (errText += d.toString()));
    child.on('error', (err) => {
      const msg = `credential helper ${program} could not run: ${err.message}`;
      reject(new RegistryError(registry, msg, undefined, { cause: err }));
    });
    child.on('close', (code, signal) => {
      const said = `${out} ${errText}`.trim();
      if (code !== 0) {
        if (/credentials not found/i.test(said)) return resolve(null);
        const why = signal ? `was killed (${signal}) after ${timeoutMs} ms` : `exited ${code}: ${said.split('\n')[0]}`;
        return reject(new RegistryError(registry, `credential helper ${program} ${why}`));
      }
      try {
        const parsed = JSON.parse(out) as { Username?: string; Secret?: string };
        if (!parsed.Secret) return resolve(null);
        registerSecret(parsed.Secret);
        if (parsed.Username === '<token>') return resolve({ kind: 'identity', token: parsed.Secret });
        resolve(basic(parsed.Username ?? '', parsed.Secret));
      } catch (err) {
        reject(new RegistryError(registry, `credential helper ${program} printed no JSON`, undefined, { cause: err }));
      }
    });
    child.stdin.on('error', () => {});
    child.stdin.end(server);
  });
}
