// An inventory for CLI tests that need no Docker engine: one master whose engine socket does not exist, so any
// command that reaches for Docker fails there, and everything before it (flags, .env, MySQL) runs for real.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `tars-docker.yml`-shaped text to `path` (in `dir`) and returns the path. */
export function writeOfflineInventory(dir: string, path = join(dir, 'inv.yml')): string {
  writeFileSync(path, `project: tars
hosts:
  - name: h1
    role: master
    address: 127.0.0.1
    docker: { endpoint: "unix://${join(dir, 'no-docker.sock')}" }
`);
  return path;
}
