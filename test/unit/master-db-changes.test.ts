import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { columnChanges, describeColumnChange } from '../../src/db/schema/column-snapshot.js';
import { unexpiredCount } from '../../src/db/self-expiring.js';
import { describeMasterDbChanges, masterDbNote } from '../../src/rollout/master-db-changes.js';
import { lostRows } from '../../src/rollout/row-counts.js';
// @ts-expect-error the stand-in is plain JavaScript without types
import { parseUpgradeConf } from '../../images/standin/framework/mysql-tool-upgrade.mjs';

const col = (type: string, charset: string | null = 'utf8') => ({ type, charset });

describe('what the master start changed in the schema', () => {
  it('names a narrowing, a widening, an added column and an added table; display widths are no change', () => {
    const before = {
      'db_tars.t_node_info.endpoint_ip': col('varchar(50)'),
      'db_tars.t_node_info.id': col('int(11)', null),
      'db_user_system.t_token.token': col('varchar(128)', 'utf8mb4'),
    };
    const after = {
      'db_tars.t_node_info.endpoint_ip': col('varchar(16)'),
      'db_tars.t_node_info.id': col('int', null),
      'db_tars.t_node_info.label': col('text'),
      'db_user_system.t_token.token': col('varchar(255)', 'utf8mb4'),
      'db_tars_web.t_plugin.f_id': col('int(11)', null),
    };
    assert.deepEqual(columnChanges(before, after).map(describeColumnChange), [
      'db_tars_web.t_plugin: table added',
      'db_tars.t_node_info.endpoint_ip narrowed varchar(50) -> varchar(16)',
      'db_user_system.t_token.token widened varchar(128) -> varchar(255)',
      'db_tars.t_node_info.label added (text)',
    ]);
  });
  it('names a dropped column and a type change that is no narrowing', () => {
    const changes = columnChanges(
      { 'd.t.a': col('timestamp', null), 'd.t.b': col('int(11)', null) },
      { 'd.t.a': col('datetime', null) },
    );
    assert.deepEqual(changes.map((c) => `${c.column} ${c.kind}`), ['a changed', 'b dropped']);
  });
});

describe('login tickets that expire on their own', () => {
  it('counts only the rows that expire at or after the cut-off, and those that never do', () => {
    assert.equal(unexpiredCount({ '600': 2, '660': 3, '720': 1, never: 4 }, 660), 8);
  });
  it('are never "rows lost" by count alone', () => {
    assert.deepEqual(lostRows({ 'db_user_system.t_login_temp_info': 5, 'db_tars.t_node_info': 2 }, { 'db_user_system.t_login_temp_info': 1, 'db_tars.t_node_info': 2 }), []);
  });
});

describe("the stand-in's mysql-tool --upgrade", () => {
  it('merges a domain named twice the way TC_Config does: the later keys win', () => {
    const conf = readFileSync(new URL('../../images/framework/sql/v3.0.16/tars_upgrade.conf', import.meta.url), 'utf8');
    const ups = parseUpgradeConf(conf) as { name: string; table: string; field: string }[];
    assert.deepEqual(ups.map((u) => `${u.name} ${u.table}.${u.field}`), [
      'upgrade1 t_server_conf.run_type', 'upgrade2 t_server_conf.base_image_id', 'upgrade3 t_base_image.result',
    ]);
  });
});

describe('the report of what the master start changed', () => {
  const r = {
    changes: [
      { database: 'db_tars', table: 't_server_conf', column: 'run_type', kind: 'added' as const, to: 'varchar(128)' },
      { database: 'db_tars', table: 't_node_info', column: 'endpoint_ip', kind: 'narrowed' as const, from: 'varchar(50)', to: 'varchar(16)' },
    ],
    cut: [{ database: 'db_tars', table: 't_node_info', column: 'endpoint_ip', row: { id: '4', node_name: 'fd00::7' }, was: 'fd00:0:0:0:0:0:0:7', now: 'fd00:0:0:0:0:0:0' }],
    backupId: 'B1',
    backupPath: '/backups/B1',
  };
  it('names the cut row and the backup that holds it, for people and for the history', () => {
    assert.deepEqual(describeMasterDbChanges(r), [
      "the master's start changed the schema: db_tars.t_server_conf.run_type added (varchar(128)); db_tars.t_node_info.endpoint_ip narrowed varchar(50) -> varchar(16)",
      "values cut by the narrowing (1): db_tars.t_node_info id=4 node_name=fd00::7: endpoint_ip 'fd00:0:0:0:0:0:0:7' is now 'fd00:0:0:0:0:0:0'",
      'backup B1 at /backups/B1 holds the data as it was before',
    ]);
    assert.equal(masterDbNote(r), "the master's start changed the schema: db_tars.t_node_info.endpoint_ip narrowed varchar(50) -> varchar(16), 1 row(s) cut (db_tars.t_node_info id=4 node_name=fd00::7: endpoint_ip 'fd00:0:0:0:0:0:0:7' is now 'fd00:0:0:0:0:0:0'); backup B1 at /backups/B1 holds the old values");
  });
  it('has no history note when the start only added columns', () => {
    assert.equal(masterDbNote({ ...r, changes: [r.changes[0]!], cut: [] }), null);
  });
});
