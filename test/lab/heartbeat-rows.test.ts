// The rows a cluster really writes into db_tars, against the lab's MariaDB: tarsAdminRegistry's ADDR:12000 row
// beside the registry's, and IPv6 locators bracketed or bare. What tars-docker reads from them decides its gates
// and its status, so they are read with its own functions and its status command.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type mysql from 'mysql2/promise';
import { heartbeatSince, readHeartbeats } from '../../src/cluster/heartbeats.js';
import { masterOf } from '../../src/cluster/container-spec.js';
import { openConnection } from '../../src/db/connection.js';
import { cli, labConfig } from '../support/lab.js';

// addresses no lab host has: rows of other members of the same cluster
const ADMIN_ONLY = '10.213.7.250';
const V6_BRACKETED = 'fd00::1';
const V6_BARE = 'fd00::2';
const ROWS = [`${ADMIN_ONLY}:12000`, `[${V6_BRACKETED}]:17890`, `${V6_BARE}:17890`];

describe('heartbeat rows as the real servers write them', () => {
  let db: mysql.Connection;
  let since: Date;
  before(async () => {
    const s = JSON.parse((await cli(['--json', 'status'])).stdout) as { healthy: boolean };
    assert.equal(s.healthy, true, 'the lab cluster runs');
    db = await openConnection(labConfig().mysql, { values: 'native' });
    // last_heartbeat is a datetime in whole seconds, so the rows of this very second must count
    since = new Date((await readHeartbeats(db)).now.getTime() - 1000);
    const servant = (locator: string) => (locator.endsWith(':12000') ? 'tars.tarsAdminRegistry.AdminRegObj' : 'tars.tarsregistry.QueryObj');
    for (const locator of ROWS) {
      await db.query(
        `REPLACE INTO db_tars.t_registry_info (locator_id, servant, endpoint, last_heartbeat, present_state, tars_version)
         VALUES (?, ?, 'tcp -h x -p 1', NOW(), 'active', '3.0.12')`,
        [locator, servant(locator)],
      );
    }
  });
  after(async () => {
    await db?.query('DELETE FROM db_tars.t_registry_info WHERE locator_id IN (?)', [ROWS]);
    await db?.end();
  });

  it("the master's tarsAdminRegistry heartbeats its own ADDR:12000 row", async () => {
    const master = masterOf(labConfig()).address;
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      `SELECT servant FROM db_tars.t_registry_info WHERE locator_id = ? AND present_state = 'active'
         AND last_heartbeat >= NOW() - INTERVAL 60 SECOND`,
      [`${master}:12000`],
    );
    assert.deepEqual(rows.map((r) => r.servant), ['tars.tarsAdminRegistry.AdminRegObj']);
  });

  it('an ADDR:12000 row alone is no registry: neither a gate nor status counts it', async () => {
    assert.equal(await heartbeatSince(db, 't_registry_info', ADMIN_ONLY, since), false);
    assert.equal((await readHeartbeats(db)).registry.has(ADMIN_ONLY), false);
  });

  it('IPv6 locators, [fd00::1]:17890 and fd00::2:17890, are the registries of fd00::1 and fd00::2', async () => {
    const beats = await readHeartbeats(db);
    for (const address of [V6_BRACKETED, V6_BARE]) {
      assert.ok(beats.registry.has(address), `${address} in ${JSON.stringify([...beats.registry.keys()])}`);
      assert.equal(await heartbeatSince(db, 't_registry_info', address, since), true, address);
    }
  });
});
