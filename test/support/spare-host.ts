// Lab hosts outside the cluster's inventory, for tests that add or fake a host: reused, so the lab does not grow by
// a namespace and a dockerd every time a test file runs.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { readLabInfra } from '../../src/lab/index.js';
import type { LabHost } from '../../src/lab/types.js';
import { cli, LAB_DIR, labConfig } from './lab.js';

export const engineOf = (host: LabHost) => new Docker({ socketPath: host.endpoints.unix.replace('unix://', '') });

/** Removes every container of a lab host outside the cluster, so the next test finds it empty. */
export async function emptyHost(host: LabHost): Promise<void> {
  const docker = engineOf(host);
  for (const c of await docker.listContainers({ all: true })) await docker.getContainer(c.Id).remove({ force: true, v: true });
}

/** A lab host that is not in the inventory, emptied; one is added only when the lab has none. */
export async function spareHost(): Promise<LabHost> {
  const inventory = new Set(labConfig().hosts.map((h) => h.address));
  let spare = (await readLabInfra(LAB_DIR)).hosts.find((h) => !inventory.has(h.address));
  if (!spare) {
    const r = await cli(['--json', 'lab', 'add-host', '--dir', LAB_DIR]);
    assert.equal(r.code, 0, r.stderr);
    spare = JSON.parse(r.stdout) as LabHost;
  }
  await emptyHost(spare);
  return spare;
}
