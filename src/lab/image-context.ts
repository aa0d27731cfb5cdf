import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack as tarPack } from 'tar-stream';
import { LAB_BAD_VERSION, LAB_STABLE_VERSION, labFrameworkVersion, labWebVersion } from './image-versions.js';

/** One file of a docker build context; `path` is relative to the context root. */
export interface ContextFile {
  path: string;
  content: Buffer;
}

const FRAMEWORK_DEPLOY = '/usr/local/tars/cpp/deploy';
const NODE_HOME = '/usr/local/app/tars';
const WEB_SQL = ['db_tars_web.sql', 'db_user_system.sql', 'db_base.sql', 'db_cache_web.sql'];
const EPOCH = new Date('2020-01-01T00:00:00Z');

const text = (path: string, body: string): ContextFile => ({ path, content: Buffer.from(body) });
const json = (path: string, body: unknown): ContextFile => text(path, `${JSON.stringify(body, null, 2)}\n`);

function sqlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')).sort() : [];
}

function scripts(imagesDir: string, prefix: string, parts: string[]): ContextFile[] {
  return parts.flatMap((part) => {
    const dir = join(imagesDir, 'standin', part);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      .sort()
      .map((f) => ({ path: `${prefix}/standin/${part}/${f}`, content: readFileSync(join(dir, f)) }));
  });
}

function dockerfile(base: string, from: string, to: string, main: string): ContextFile {
  return text(
    'Dockerfile',
    `FROM ${base}\nCOPY ${from}/ ${to}/\nCMD ["/usr/bin/node", "${to}/${main}"]\n`,
  );
}

/**
 * The framework image of one version: the stand-in program and what the real image carries at the same
 * paths (FRAMEWORK_VERSION.txt, web/package.json, web/sql/, framework/sql/db_tars.sql). The sql of a
 * version comes from images/framework/sql/<version>/, a missing file from .placeholder/.
 */
export function frameworkContext(imagesDir: string, version: string, base: string): ContextFile[] {
  const sqlRoot = join(imagesDir, 'framework', 'sql');
  // the broken release ships the schema of the release it was cut from
  const fallback = version === LAB_BAD_VERSION ? join(sqlRoot, LAB_STABLE_VERSION) : '';
  const own = existsSync(join(sqlRoot, version)) || !fallback ? join(sqlRoot, version) : fallback;
  const placeholder = join(sqlRoot, '.placeholder');
  const webSql = new Map<string, string>();
  for (const name of WEB_SQL) if (existsSync(join(placeholder, name))) webSql.set(name, join(placeholder, name));
  for (const name of sqlFiles(own)) if (name !== 'db_tars.sql') webSql.set(name, join(own, name));
  const dbTars = existsSync(join(own, 'db_tars.sql')) ? join(own, 'db_tars.sql') : join(sqlRoot, 'db_tars.sql');
  // TarsFramework ships it from 3.0.5 on; older images have none
  const upgradeConf = join(own, 'tars_upgrade.conf');
  const webVersion = labWebVersion(version);
  return [
    dockerfile(base, 'deploy', FRAMEWORK_DEPLOY, 'standin/framework/main.mjs'),
    // written by cmake without a newline
    text('deploy/FRAMEWORK_VERSION.txt', labFrameworkVersion(version)),
    json('deploy/web/package.json', { name: 'tars-node-web', version: webVersion, description: 'TarsWeb stand-in of the tars-docker lab' }),
    ...[...webSql].map(([name, file]) => ({ path: `deploy/web/sql/${name}`, content: readFileSync(file) })),
    { path: 'deploy/framework/sql/db_tars.sql', content: readFileSync(dbTars) },
    ...(existsSync(upgradeConf) ? [{ path: 'deploy/framework/sql/tars_upgrade.conf', content: readFileSync(upgradeConf) }] : []),
    json('deploy/standin/image.json', {
      role: 'framework',
      version,
      webVersion,
      fault: version === LAB_BAD_VERSION ? 'registry-never-starts' : null,
    }),
    ...scripts(imagesDir, 'deploy', ['common', 'framework']),
  ];
}

/** The tars-node image of one flavour (full, cpp, ...); flavours differ only by the name they carry. */
export function nodeContext(imagesDir: string, flavour: string, base: string): ContextFile[] {
  return [
    dockerfile(base, 'tars', NODE_HOME, 'standin/node/main.mjs'),
    text('tars/TARS_NODE_IMAGE.txt', `${flavour}\n`),
    json('tars/standin/image.json', { role: 'node', flavour }),
    ...scripts(imagesDir, 'tars', ['common', 'node']),
  ];
}

export function contextHash(files: readonly ContextFile[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`${f.path}\0${f.content.length}\0`).update(f.content);
  }
  return hash.digest('hex').slice(0, 20);
}

/** The context as a tar in memory; a fixed mtime keeps the COPY layer the same for the same files. */
export async function contextTar(files: readonly ContextFile[]): Promise<Buffer> {
  const pack = tarPack();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    pack.entry({ name: f.path, mode: 0o644, mtime: EPOCH, uid: 0, gid: 0 }, f.content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
