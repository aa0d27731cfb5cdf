import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { columnChanges, describeColumnChange } from '../../src/db/column-snapshot.js';
import { unexpiredCount } from '../../src/db/self-expiring.js';
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
