import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One entry of the base image's root filesystem; `path` is relative to `/`, with forward slashes. */
export interface RootfsEntry {
  path: string;
  type: 'file' | 'directory';
  mode: number;
  size: number;
  /** A host file streamed into the tar, or inline content. */
  source?: string;
  content?: Buffer;
  /** Cheap identity of the host file (size, mtime, inode), so an unchanged base is recognised without reading 100 MB. */
  stamp: string;
}

/** What the dynamic loader needs for `binary`: the libraries `ldd` lists and the loader itself. */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  const paths: string[] = [];
  for (const line of stdout.split('\n')) {
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (match?.[1]) paths.push(match[1]);
  }
  if (paths.length === 0) throw new Error(`ldd listed no libraries for ${binary}`);
  return paths;
}

function readManifest(dir: string): Promise<{ dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }> {
  return readFile(join(dir, 'package.json'), 'utf8').then((text) => JSON.parse(text));
}

/** Package directories `root` needs at run time, found the way Node resolves them (nearest node_modules up). */
export async function packageClosure(nodeModulesDir: string, root: string): Promise<string[]> {
  const top = dirname(nodeModulesDir);
  const resolveFrom = (from: string, name: string): string | undefined => {
    for (let dir = from; dir.startsWith(top); dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dir === top) break;
    }
    return undefined;
  };
  const found = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    if (found.has(dir)) return;
    found.add(dir);
    const manifest = await readManifest(dir);
    const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}));
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const dep = resolveFrom(dir, name);
      if (dep) await visit(dep);
      else if (!optional.has(name)) throw new Error(`${root}: dependency ${name} of ${dir} is not installed`);
    }
  };
  const start = resolveFrom(top, root);
  if (!start) throw new Error(`${root} is not installed under ${nodeModulesDir}`);
  await visit(start);
  return [...found].sort();
}

/** Regular files under `dir`; nested node_modules belong to other packages of the closure. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

async function hostFile(path: string, source: string, mode: number): Promise<RootfsEntry> {
  const real = await realpath(source);
  const info = await stat(real);
  return { path, type: 'file', mode, size: info.size, source: real, stamp: `${info.size}:${info.mtimeMs}:${info.ino}` };
}

function inline(path: string, text: string): RootfsEntry {
  const content = Buffer.from(text);
  return { path, type: 'file', mode: 0o644, size: content.length, content, stamp: text };
}

function dir(path: string, mode = 0o755): RootfsEntry {
  return { path, type: 'directory', mode, size: 0, stamp: '' };
}

/**
 * The base root filesystem: this machine's node binary with exactly its shared libraries, mysql2 and its
 * dependencies in /node_modules (resolvable from any script in the image), and the directories the Tars
 * images have. Sorted, with every parent directory listed, so the tar is the same byte for byte each time.
 */
export async function collectBaseRootfs(nodeModulesDir: string): Promise<RootfsEntry[]> {
  const node = await realpath(process.execPath);
  const entries: RootfsEntry[] = [await hostFile('usr/bin/node', node, 0o755)];
  for (const lib of await sharedLibraries(node)) entries.push(await hostFile(lib.slice(1), lib, 0o755));
  for (const pkg of await packageClosure(nodeModulesDir, 'mysql2')) {
    for (const file of await filesUnder(pkg)) {
      const inImage = ['node_modules', ...relative(nodeModulesDir, file).split(sep)].join('/');
      entries.push(await hostFile(inImage, file, 0o644));
    }
  }
  entries.push(inline('etc/passwd', 'root:x:0:0:root:/root:/usr/sbin/nologin\n'), inline('etc/group', 'root:x:0:\n'));
  entries.push(dir('tmp', 0o1777), dir('root', 0o700));
  for (const sub of ['app_log', 'web_log', 'patchs', 'remote_app_log', 'tarsnode-data']) entries.push(dir(`data/tars/${sub}`));
  const paths = new Set(entries.map((e) => e.path));
  for (const entry of [...entries]) {
    for (let parent = dirname(entry.path); parent !== '.'; parent = dirname(parent)) {
      if (!paths.has(parent)) {
        paths.add(parent);
        entries.push(dir(parent));
      }
    }
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
