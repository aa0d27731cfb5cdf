// A private copy of the built package, so a test can edit the compose files tars-docker reads (they are found
// beside dist/, not through a flag) without ever writing into the repository.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface PackageCopy {
  root: string;
  /** The copy's bin/tars-docker.js, for the `bin` option of cli()/runCli(). */
  bin: string;
  composeDir: string;
  remove(): void;
}

export function packageCopy(): PackageCopy {
  const root = mkdtempSync(join(tmpdir(), 'td-package-'));
  // dist is copied, not linked: node resolves a linked module to its real path, and with it the compose folder.
  for (const part of ['bin', 'dist', 'compose', 'package.json']) cpSync(resolve(part), join(root, part), { recursive: true });
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  return {
    root,
    bin: join(root, 'bin', 'tars-docker.js'),
    composeDir: join(root, 'compose'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
