// Issue 14 item 4, "Done when": prune, through the CLI, leaves exactly the images a rollback needs; rollback then works.
// Image lists are read through each host's engine API, never through the tool.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import semver from 'semver';
import { connectEngine } from '../../src/docker/engine-connection.js';
import { cli, freshCluster, LAB_DIR, LAB_INVENTORY, labConfig } from '../support/lab.js';
import { clusterProblems, status } from '../support/rollout.js';
import { overlap, stopWindows } from '../support/stop-windows.js';

const [V1, V2, V3] = ['v3.0.6', 'v3.0.14', 'v3.0.16'];
const TARS_REPO = /\/tarscloud\/(framework|tars-node):/;

interface EngineImages {
  host: string;
  /** Tars images: id → its tags, and when it was made. */
  images: Map<string, { tags: string[]; created: number }>;
  /** Image ids some container (running or stopped) uses. */
  used: Set<string>;
  /** Image ids of the Tars containers among them. */
  usedByTars: Set<string>;
}

async function engineImages(): Promise<EngineImages[]> {
  return Promise.all(
    labConfig().hosts.map(async (h) => {
      const conn = await connectEngine(h);
      try {
        const [images, containers] = await Promise.all([conn.docker.listImages(), conn.docker.listContainers({ all: true })]);
        const tars = images.flatMap((i) => {
          const tags = (i.RepoTags ?? []).filter((t) => TARS_REPO.test(t)).sort();
          return tags.length ? [[i.Id, { tags, created: i.Created }] as const] : [];
        });
        const usedByTars = new Set(containers.filter((c) => TARS_REPO.test(c.Image)).map((c) => c.ImageID));
        return { host: h.name, images: new Map(tars), used: new Set(containers.map((c) => c.ImageID)), usedByTars };
      } finally {
        await conn.close();
      }
    }),
  );
}

const listing = (all: EngineImages[]) => all.map((e) => ({ host: e.host, images: [...e.images].map(([id, i]) => `${id} ${i.tags.join(',')}`).sort() }));

interface PruneDoc {
  rollbackTags: string[];
  hosts: { host: string; removed: string[]; error?: string; plan: { remove: { id: string; refs: string[] }[]; keep: { id: string; reasons: string[] }[] } }[];
}

describe('prune on the lab', () => {
  before(async () => {
    await freshCluster(V1);
  });

  it(`upgrade --to ${V2} prunes with keep 2 and keeps the image NAME.previous uses`, async () => {
    const r = await cli(['--json', 'upgrade', '--to', V2, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { result: { outcome: string }; prune: PruneDoc };
    assert.equal(doc.result.outcome, 'succeeded');
    assert.deepEqual(doc.prune.rollbackTags, [V1]);
    assert.deepEqual(doc.prune.hosts.filter((h) => h.error).map((h) => h.error), []);
    const roles = new Map(labConfig().hosts.map((h) => [h.name, h.role]));
    for (const e of await engineImages()) {
      for (const id of e.usedByTars) assert.ok(e.images.has(id), `${e.host}: image ${id} of a container is gone`);
      // A node on an unmoved tag was restarted in place: one container, no NAME.previous, no version tag to keep.
      if (roles.get(e.host) === 'node') {
        assert.equal(e.usedByTars.size, 1, `${e.host}: one node container`);
        continue;
      }
      assert.ok(e.usedByTars.size >= 2, `${e.host}: its container and NAME.previous`);
      const tags = [...e.images.values()].flatMap((i) => i.tags);
      assert.ok(tags.some((t) => t.endsWith(`:${V1}`)), `${e.host}: ${V1} (NAME.previous, rollback target) kept, has ${tags.join(' ')}`);
    }
    assert.ok([...roles.values()].includes('node'), 'the lab has node hosts');
  });

  it(`after upgrade --to ${V3} --no-prune, prune --dry-run changes nothing`, async () => {
    const up = await cli(['upgrade', '--to', V3, '--yes', '--no-prune']);
    assert.equal(up.code, 0, up.stderr);
    const beforeRun = listing(await engineImages());
    const r = await cli(['--json', 'prune', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as PruneDoc;
    assert.deepEqual(doc.rollbackTags, [V2]);
    assert.deepEqual(doc.hosts.map((h) => h.removed), doc.hosts.map(() => []));
    assert.deepEqual(listing(await engineImages()), beforeRun);
  });

  it('prune --keep 1 removes exactly what no container, no rollback and no newest-of-repository needs', async () => {
    const beforeRun = await engineImages();
    const r = await cli(['--json', 'prune', '--keep', '1']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as PruneDoc;
    const afterRun = await engineImages();
    for (const [i, after] of afterRun.entries()) {
      const was = beforeRun[i]!;
      const report = doc.hosts.find((h) => h.host === after.host)!;
      assert.equal(report.error, undefined);
      // the tool removed exactly what it said
      assert.deepEqual([...after.images.keys()].sort(), [...was.images.keys()].filter((id) => !report.removed.includes(id)).sort(), after.host);
      // what stays: used by a container, tagged as the rollback target, or the newest of its repository
      // newest: the highest release where both images carry a version tag, else the later one made
      const newest = new Map<string, { id: string; created: number; version: string | null }>();
      for (const [id, img] of was.images) {
        for (const tag of img.tags) {
          const repo = tag.slice(0, tag.lastIndexOf(':'));
          const version = semver.valid(tag.slice(tag.lastIndexOf(':') + 1).replace(/^v/, ''));
          const top = newest.get(repo);
          const byVersion = top?.version && version ? semver.compare(version, top.version) : 0;
          if (!top || byVersion > 0 || (byVersion === 0 && (img.created > top.created || (img.created === top.created && id < top.id)))) {
            newest.set(repo, { id, created: img.created, version });
          }
        }
      }
      const newestIds = new Set([...newest.values()].map((n) => n.id));
      const needed = [...was.images].filter(([id, img]) => was.used.has(id) || img.tags.some((t) => t.endsWith(`:${V2}`)) || newestIds.has(id)).map(([id]) => id);
      assert.deepEqual([...after.images.keys()].sort(), needed.sort(), `${after.host}: images left`);
    }
    const removedTags = beforeRun.flatMap((e) => [...e.images].filter(([id]) => !afterRun.find((a) => a.host === e.host)!.images.has(id)).flatMap(([, i]) => i.tags));
    assert.ok(removedTags.some((t) => t.endsWith(`:${V1}`)), `the ${V1} images went: removed ${removedTags.join(' ')}`);
  });

  it(`rollback (no --to) still works: every host back at ${V2}, nodes --batch 2 at once, its backup in --backup-dir`, async () => {
    const backupDir = mkdtempSync(join(tmpdir(), 'td-rollback-backups-'));
    const t0 = Date.now();
    const r = await cli(['rollback', '--yes', '--batch', '2', '--backup-dir', backupDir]);
    const windows = await stopWindows(t0, Date.now());
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(clusterProblems(await status(), V2), []);
    // --batch 2, read from the engines' event logs: both nodes were down together, after the slave was back.
    const [h2, h3, h4] = ['h2', 'h3', 'h4'].map((n) => windows.find((w) => w.host === n));
    assert.ok(h2 && h3 && h4, `h2, h3 and h4 were stopped and started again: ${JSON.stringify(windows)}`);
    assert.ok(overlap(h3, h4), `the two nodes restart together: ${JSON.stringify(windows)}`);
    assert.ok(h2.started < Math.min(h3.died, h4.died), `the slave before the nodes: ${JSON.stringify(windows)}`);
    // --backup-dir: the backup taken before the master went back is there, with the three databases.
    const backups = readdirSync(backupDir);
    assert.equal(backups.length, 1, `one backup in ${backupDir}: ${backups.join(', ')}`);
    const manifest = JSON.parse(readFileSync(join(backupDir, backups[0]!, 'manifest.json'), 'utf8')) as { databases: { name: string }[] };
    assert.deepEqual(manifest.databases.map((d) => d.name).sort(), ['db_tars', 'db_tars_web', 'db_user_system']);
  });

  it('a host that cannot be reached is one line naming it and exit 1; the other hosts are still done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'td-prune-'));
    try {
      const inventory = join(dir, 'tars-docker.yml');
      writeFileSync(inventory, readFileSync(LAB_INVENTORY, 'utf8').replace('hosts/h4/docker.sock', 'hosts/h4/gone.sock'));
      copyFileSync(join(LAB_DIR, 'known_hosts'), join(dir, 'known_hosts'));
      const r = await cli(['prune', '--dry-run'], { inventory });
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.deepEqual(lines.filter((l) => l.startsWith('h4:')), [`h4: cannot reach Docker at unix://${LAB_DIR}/hosts/h4/gone.sock: connect ENOENT ${LAB_DIR}/hosts/h4/gone.sock`]);
      assert.deepEqual([...new Set(lines.map((l) => l.split(':')[0]))], ['h1', 'h2', 'h3', 'h4']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
