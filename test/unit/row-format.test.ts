import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diffDatabase } from '../../src/db/schema/schema-diff.js';
import type { LiveDatabase } from '../../src/db/schema/schema-model.js';
import { MODERN_SERVER, serverInfoFrom, type ServerInfo } from '../../src/db/server-info.js';
import { parseSchemaFile } from '../../src/db/sql/sql-parser.js';

const LAB = new URL('../../images/framework/sql/', import.meta.url).pathname;
const names = { target: 'db_x', live: 'live_x' };
const live = (sql: string): LiveDatabase => ({ exists: true, ...parseSchemaFile(sql, 'live.sql') });

/** What `SHOW GLOBAL VARIABLES` answers on each server, with its defaults. */
const MYSQL_56: ServerInfo = serverInfoFrom({
  version: '5.6.51', innodb_large_prefix: 'OFF', innodb_file_format: 'Antelope', innodb_file_per_table: 'ON',
});
const MYSQL_56_BARRACUDA = serverInfoFrom({
  version: '5.6.51', innodb_large_prefix: 'ON', innodb_file_format: 'Barracuda', innodb_file_per_table: 'ON',
});

function plan(liveSql: string, targetSql: string, server: ServerInfo = MODERN_SERVER) {
  const p = diffDatabase(parseSchemaFile(targetSql, 'target.sql'), live(liveSql), names, server);
  return {
    steps: p.steps.map((s) => `${s.kind}: ${s.sql}`),
    findings: p.findings.map((f) => `${f.severity} ${f.table}${f.column ? `.${f.column}` : ''}${f.index ? `#${f.index}` : ''}: ${f.reason}`),
  };
}

const compact = (type: string, charset: string) =>
  `CREATE TABLE t (id int, tok ${type}, PRIMARY KEY (id), KEY tok (tok)) ENGINE=InnoDB DEFAULT CHARSET=${charset} ROW_FORMAT=COMPACT;`;
const target = (type: string, charset: string) =>
  `CREATE TABLE t (id int, tok ${type}, PRIMARY KEY (id), KEY tok (tok)) ENGINE=InnoDB DEFAULT CHARSET=${charset};`;

describe('server variables', () => {
  it('MySQL 5.6 defaults: COMPACT, 767-byte key parts, and DYNAMIC not possible on Antelope', () => {
    assert.deepEqual(MYSQL_56, { version: '5.6.51', defaultRowFormat: 'COMPACT', largePrefix: false, dynamicBlocked: 'innodb_file_format=Antelope' });
  });

  it('MySQL 5.7, and MariaDB 10.11 where the old variables are gone, hold long keys in DYNAMIC rows', () => {
    assert.deepEqual(serverInfoFrom({ version: '5.7.44', innodb_default_row_format: 'dynamic', innodb_large_prefix: 'ON', innodb_file_format: 'Barracuda', innodb_file_per_table: 'OFF' }),
      { version: '5.7.44', defaultRowFormat: 'DYNAMIC', largePrefix: true });
    assert.deepEqual(serverInfoFrom({ version: '10.11.19-MariaDB', innodb_default_row_format: 'dynamic', innodb_file_per_table: 'ON' }),
      { version: '10.11.19-MariaDB', defaultRowFormat: 'DYNAMIC', largePrefix: true });
  });

  it('MySQL 5.6 without file_per_table cannot keep DYNAMIC rows in the system tablespace', () => {
    const info = serverInfoFrom({ version: '5.6.51', innodb_large_prefix: 'ON', innodb_file_format: 'Barracuda', innodb_file_per_table: 'OFF' });
    assert.equal(info.dynamicBlocked, 'innodb_file_per_table=OFF');
  });
});

describe('widening an indexed varchar on COMPACT rows', () => {
  it('past 767 bytes (utf8mb4 128 → 255 chars, 1020 bytes): ROW_FORMAT=DYNAMIC runs first', () => {
    const p = plan(compact('varchar(128)', 'utf8mb4'), target('varchar(255)', 'utf8mb4'));
    assert.deepEqual(p.steps, [
      'row-format: ALTER TABLE `live_x`.`t` ROW_FORMAT=DYNAMIC',
      'modify-column: ALTER TABLE `live_x`.`t` MODIFY COLUMN `tok` varchar(255) NULL',
    ]);
    assert.deepEqual(p.findings, ['note t: row format COMPACT → DYNAMIC first: index tok would need 1020 bytes for tok, over the 767-byte key part limit of COMPACT rows']);
  });

  it('counts bytes per character of the charset: utf8 255 chars is 765 bytes and fits, 256 is 768 and does not', () => {
    assert.deepEqual(plan(compact('varchar(128)', 'utf8'), target('varchar(255)', 'utf8')).steps,
      ['modify-column: ALTER TABLE `live_x`.`t` MODIFY COLUMN `tok` varchar(255) NULL']);
    assert.equal(plan(compact('varchar(128)', 'utf8'), target('varchar(256)', 'utf8')).steps[0], 'row-format: ALTER TABLE `live_x`.`t` ROW_FORMAT=DYNAMIC');
    assert.deepEqual(plan(compact('varchar(200)', 'latin1'), target('varchar(767)', 'latin1')).steps.length, 1);
  });

  it('on stock MySQL 5.6 (Antelope) it is reported up front and not applied, the other steps still are', () => {
    const p = plan(compact('varchar(128)', 'utf8mb4'), 'CREATE TABLE t (id int, tok varchar(255), extra int, PRIMARY KEY (id), KEY tok (tok)) DEFAULT CHARSET=utf8mb4;', MYSQL_56);
    assert.deepEqual(p.steps, ['add-column: ALTER TABLE `live_x`.`t` ADD COLUMN `extra` int NULL AFTER `tok`']);
    assert.deepEqual(p.findings, [
      'unsafe t.tok: widen tok (varchar(128) → varchar(255) (512 → 1020 bytes)): index tok would need 1020 bytes for tok, over the 767-byte key part limit of COMPACT rows, and this server cannot give it more (innodb_file_format=Antelope); not applied',
    ]);
  });

  it('DYNAMIC rows without innodb_large_prefix also stop at 767 bytes', () => {
    const p = plan(compact('varchar(128)', 'utf8mb4').replace('COMPACT', 'DYNAMIC'), target('varchar(255)', 'utf8mb4'),
      { ...MYSQL_56_BARRACUDA, largePrefix: false });
    assert.deepEqual(p.steps, []);
    assert.match(p.findings[0]!, /767-byte key part limit of DYNAMIC rows, and this server cannot give it more \(innodb_large_prefix=OFF\); not applied$/);
  });

  it('a table without a declared row format has the server default: COMPACT on MySQL 5.6, DYNAMIC today', () => {
    const undeclared = compact('varchar(128)', 'utf8mb4').replace(' ROW_FORMAT=COMPACT', '');
    assert.equal(plan(undeclared, target('varchar(255)', 'utf8mb4'), MYSQL_56_BARRACUDA).steps.length, 2);
    assert.equal(plan(undeclared, target('varchar(255)', 'utf8mb4')).steps.length, 1);
  });

  it('a key over 3072 bytes in all fits no row format', () => {
    const p = plan(
      'CREATE TABLE t (a varchar(255), b varchar(255), c varchar(255), d varchar(10), KEY k (a,b,c,d)) DEFAULT CHARSET=utf8mb4 ROW_FORMAT=DYNAMIC;',
      'CREATE TABLE t (a varchar(255), b varchar(255), c varchar(255), d varchar(100), KEY k (a,b,c,d)) DEFAULT CHARSET=utf8mb4;');
    assert.deepEqual(p.steps, []);
    assert.deepEqual(p.findings, ['unsafe t.d: widen d (varchar(10) → varchar(100) (40 → 400 bytes)): index k would need 3460 bytes, over the 3072-byte limit of any key; not applied']);
  });
});

describe('new indexes and new tables', () => {
  it('an index added over a long column of COMPACT rows is preceded by ROW_FORMAT=DYNAMIC', () => {
    const p = plan('CREATE TABLE t (id int, s varchar(255)) DEFAULT CHARSET=utf8mb4 ROW_FORMAT=COMPACT;',
      'CREATE TABLE t (id int, s varchar(255), KEY ks (s)) DEFAULT CHARSET=utf8mb4;');
    assert.deepEqual(p.steps, ['row-format: ALTER TABLE `live_x`.`t` ROW_FORMAT=DYNAMIC', 'add-index: ALTER TABLE `live_x`.`t` ADD INDEX `ks` (`s`)']);
  });

  it('a new table that declares no row format is created DYNAMIC where the default COMPACT could not hold its keys', () => {
    const table = 'CREATE TABLE u (id int, s varchar(255), KEY ks (s)) DEFAULT CHARSET=utf8mb4; INSERT INTO u VALUES (1, \'x\');';
    const p = plan('CREATE TABLE t (a int);', `CREATE TABLE t (a int); ${table}`, MYSQL_56_BARRACUDA);
    assert.match(p.steps[0]!, /^create-table: CREATE TABLE `live_x`\.`u` \([\s\S]*\) ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4$/);
    assert.equal(p.steps.length, 2);
    const stock = plan('CREATE TABLE t (a int);', `CREATE TABLE t (a int); ${table}`, MYSQL_56);
    assert.deepEqual(stock, { steps: [], findings: [
      'unsafe u: table is not created: index ks would need 1020 bytes for s, over the 767-byte key part limit of COMPACT rows, and this server cannot give it more (innodb_file_format=Antelope)',
    ] });
  });
});

describe('the real t_token widening (TarsWeb 2.4.24, images v2.4.22 → v3.0.6)', () => {
  const file = (v: string) => readFileSync(`${LAB}${v}/db_user_system.sql`, 'utf8');
  // An install on MySQL 5.6 made every table COMPACT.
  const onMysql56 = () => ({ ...live(file('v2.4.22')), tables: live(file('v2.4.22')).tables.map((t) => ({ ...t, rowFormat: 'COMPACT' })) });
  const target = () => parseSchemaFile(file('v3.0.6'), 'v3.0.6/db_user_system.sql');

  it('with large prefixes on, rebuilds t_token DYNAMIC, then widens token', () => {
    const p = diffDatabase(target(), onMysql56(), { target: 'db_user_system', live: 'db_user_system' }, MYSQL_56_BARRACUDA);
    assert.deepEqual(p.steps.map((s) => s.id), [
      't_token: row format COMPACT → DYNAMIC (index token needs 1020 bytes)',
      't_token: widen token (varchar(128) → varchar(255) (512 → 1020 bytes))',
    ]);
  });

  it('on stock MySQL 5.6 plans nothing for t_token and says why before anything runs', () => {
    const p = diffDatabase(target(), onMysql56(), { target: 'db_user_system', live: 'db_user_system' }, MYSQL_56);
    assert.deepEqual(p.steps, []);
    assert.deepEqual(p.findings.map((f) => `${f.severity} ${f.table}.${f.column}`), ['unsafe t_token.token']);
  });
});

describe('mixed cases', () => {
  it('a key no row format holds is refused, and DYNAMIC still comes first for the widening it can hold', () => {
    const p = plan(
      'CREATE TABLE t (a varchar(255), b varchar(255), c varchar(255), d varchar(10), s varchar(100), KEY k (a,b,c,d), KEY ks (s)) DEFAULT CHARSET=utf8mb4 ROW_FORMAT=COMPACT;',
      'CREATE TABLE t (a varchar(255), b varchar(255), c varchar(255), d varchar(100), s varchar(255), KEY k (a,b,c,d), KEY ks (s)) DEFAULT CHARSET=utf8mb4;');
    assert.deepEqual(p.steps, ['row-format: ALTER TABLE `live_x`.`t` ROW_FORMAT=DYNAMIC', 'modify-column: ALTER TABLE `live_x`.`t` MODIFY COLUMN `s` varchar(255) NULL']);
    assert.deepEqual(p.findings.map((f) => f.split(':')[0]), ['unsafe t.d', 'note t']);
  });

  it('a COMPACT table whose target declares DYNAMIC but needs no long key is left alone, with a note', () => {
    const p = plan(compact('varchar(100)', 'utf8mb4'), target('varchar(120)', 'utf8mb4').replace(';', ' ROW_FORMAT=DYNAMIC;'));
    assert.deepEqual(p.steps, ['modify-column: ALTER TABLE `live_x`.`t` MODIFY COLUMN `tok` varchar(120) NULL']);
    assert.deepEqual(p.findings, ['note t: row format COMPACT, the target declares DYNAMIC; not changed, no key needs it']);
  });
});
