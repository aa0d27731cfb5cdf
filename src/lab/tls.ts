import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { certFiles } from './paths.js';
import { run } from './proc.js';

const DAYS = '3650';
/** EC keys: generated in milliseconds, accepted by Go's TLS in dockerd and by Node. */
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function ensureCa(openssl: string, dir: string): Promise<void> {
  const c = certFiles(dir);
  if (existsSync(c.ca) && existsSync(c.caKey)) return;
  mkdirSync(c.dir, { recursive: true, mode: 0o700 });
  await run(openssl, ['req', '-x509', ...KEY, '-keyout', c.caKey, '-out', c.ca, '-days', DAYS, '-sha256', '-subj', '/CN=tars-docker lab CA']);
  chmodSync(c.caKey, 0o600);
}

/** Signs a fresh key for `cn`; the extension file carries SAN and usage, which a CSR cannot impose. */
async function issue(openssl: string, dir: string, cn: string, cert: string, key: string, ext: string): Promise<void> {
  if (existsSync(cert) && existsSync(key)) return;
  const c = certFiles(dir);
  const csr = `${cert}.csr`;
  const extFile = `${cert}.ext`;
  writeFileSync(extFile, `${ext}\n`);
  await run(openssl, ['req', '-new', ...KEY, '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`]);
  chmodSync(key, 0o600);
  // A per-certificate random serial avoids a shared serial file that parallel signings would race on.
  await run(openssl, ['x509', '-req', '-in', csr, '-CA', c.ca, '-CAkey', c.caKey, '-set_serial', `0x${randomSerial()}`,
    '-days', DAYS, '-sha256', '-out', cert, '-extfile', extFile]);
  rmSync(csr, { force: true });
  rmSync(extFile, { force: true });
}

function randomSerial(): string {
  return randomBytes(8).toString('hex');
}

export async function ensureServerCert(openssl: string, dir: string, host: string, address: string): Promise<void> {
  const c = certFiles(dir);
  await issue(openssl, dir, host, c.serverCert(host), c.serverKey(host),
    `subjectAltName=IP:${address}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment`);
}

/** CA and client certificate; server certificates are issued per host as hosts come up. */
export async function ensureLabTls(openssl: string, dir: string): Promise<void> {
  await ensureCa(openssl, dir);
  const c = certFiles(dir);
  await issue(openssl, dir, 'tars-docker', c.clientCert, c.clientKey, 'extendedKeyUsage=clientAuth');
}

export function serverTls(dir: string, host: string): string[] {
  const c = certFiles(dir);
  return ['--tlsverify', `--tlscacert=${c.ca}`, `--tlscert=${c.serverCert(host)}`, `--tlskey=${c.serverKey(host)}`];
}
