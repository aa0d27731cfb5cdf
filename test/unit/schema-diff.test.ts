import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderDatabasePlan } from '../../src/db/migrate/plan-render.js';
import { diffDatabase } from '../../src/db/schema/schema-diff.js';
import type { LiveDatabase } from '../../src/db/schema/schema-model.js';
import { parseSchemaFile } from '../../src/db/sql/sql-parser.js';

const LAB = new URL('../../images/framework/sql/', import.meta.url).pathname;
const lab = (version: string, db: string) => parseSchemaFile(readFileSync(`${LAB}${version}/${db}.sql`, 'utf8'), `${version}/${db}.sql`);
const live = (sql: string): LiveDatabase => ({ exists: true, ...parseSchemaFile(sql, 'live.sql') });
const target = (sql: string) => parseSchemaFile(sql, 'target.sql');
const names = { target: 'db_x', live: 'live_x' };

function golden(name: string, lines: string[]): void {
  const file = new URL(`./golden/${name}.txt`, import.meta.url);
  const text = lines.join('\n') + '\n';
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
  assert.equal(text, readFileSync(file, 'utf8'));
}

function plan(liveSql: string, targetSql: string) {
  const p = diffDatabase(target(targetSql), live(liveSql), names);
  return { sql: p.steps.map((s) => s.sql), findings: p.findings.map((f) => `${f.severity} ${f.table}${f.column ? `.${f.column}` : ''}${f.index ? `#${f.index}` : ''}: ${f.reason}`) };
}

describe('diffDatabase on the lab versions', () => {
  for (const from of ['v2.4.2', 'v2.4.22']) {
    for (const db of ['db_tars_web', 'db_user_system']) {
      it(`${from} → v3.0.16 ${db} matches the golden plan`, () => {
        const p = diffDatabase(lab('v3.0.16', db), { exists: true, ...lab(from, db) }, { target: db, live: db });
        golden(`db-plan-${from}-v3.0.16-${db}`, renderDatabasePlan(p));
      });
    }
  }

  it('a database that does not exist is created with its tables and seed rows, never with a DROP', () => {
    const p = diffDatabase(lab('v3.0.16', 'db_user_system'), { exists: false, tables: [] }, { target: 'db_user_system', live: 'new_db' });
    assert.deepEqual(p.steps.map((s) => `${s.kind} ${s.table ?? ''}`), [
      'create-database ', 'create-table t_auth', 'insert t_auth', 'create-table t_login_temp_info', 'create-table t_user_info',
      'insert t_user_info', 'create-table t_token', 'create-table t_setting',
    ]);
    assert.equal(p.steps[0]!.sql, 'CREATE DATABASE IF NOT EXISTS `new_db`');
    assert.ok(p.steps.every((s) => !/\bDROP\b/i.test(s.sql)));
  });

  it('leaves t_token.uid to TarsWeb, whose model sync narrows it back to varchar(64) at every start of the web', () => {
    const sql = readFileSync(`${LAB}v3.0.16/db_user_system.sql`, 'utf8');
    // what the master's web left after its sync: the sql's varchar(128) of t_token.uid as varchar(64)
    const token = sql.indexOf('CREATE TABLE `t_token`');
    const synced = sql.slice(0, token) + sql.slice(token).replace('`uid` varchar(128)', '`uid` varchar(64)');
    assert.notEqual(synced, sql);
    const liveDb = { exists: true, ...parseSchemaFile(synced, 'live.sql') };
    const p = diffDatabase(lab('v3.0.16', 'db_user_system'), liveDb, { target: 'db_user_system', live: 'db_user_system' });
    assert.deepEqual(p.steps, [], 'no widening that the next start of the web would undo');
    assert.deepEqual(p.findings.map((f) => `${f.severity} ${f.table}.${f.column}: ${f.reason}`), [
      'note t_token.uid: type left to TarsWeb, whose model sync sets varchar(64) at every start of the web (the sql file says varchar(128))',
    ]);
    // only TarsWeb's own database has that model
    const other = diffDatabase(lab('v3.0.16', 'db_user_system'), liveDb, { target: 'db_tars_web', live: 'db_user_system' });
    assert.deepEqual(other.steps.map((s) => s.id), ['t_token: widen uid (varchar(64) → varchar(128) (256 → 512 bytes))']);
  });

  it('the same version gives an empty plan', () => {
    for (const db of ['db_tars_web', 'db_user_system']) {
      const p = diffDatabase(lab('v3.0.6', db), { exists: true, ...lab('v3.0.6', db) }, { target: db, live: db });
      assert.deepEqual([p.steps, p.findings], [[], []]);
    }
  });
});

describe('safe changes become steps', () => {
  it('adds missing columns after the right neighbour, or first', () => {
    const p = plan('CREATE TABLE t (b int, d int) CHARSET=utf8mb4;', "CREATE TABLE t (a int, b int, c varchar(10) NOT NULL DEFAULT 'x', d int, e datetime DEFAULT CURRENT_TIMESTAMP) CHARSET=utf8mb4;");
    assert.deepEqual(p.sql, [
      'ALTER TABLE `live_x`.`t` ADD COLUMN `a` int NULL FIRST',
      "ALTER TABLE `live_x`.`t` ADD COLUMN `c` varchar(10) CHARACTER SET utf8mb4 NOT NULL DEFAULT 'x' AFTER `b`",
      'ALTER TABLE `live_x`.`t` ADD COLUMN `e` datetime NULL DEFAULT CURRENT_TIMESTAMP AFTER `d`',
    ]);
    assert.deepEqual(p.findings, []);
  });

  it('widens integers, texts, enums and varchars, keeping every other attribute as it is live', () => {
    const p = plan(
      "CREATE TABLE t (a tinyint NOT NULL DEFAULT '1' COMMENT 'c', b int unsigned, c text, d enum('x','y') DEFAULT 'x', e varchar(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, f set('p'));",
      "CREATE TABLE t (a int NOT NULL DEFAULT '1' COMMENT 'c', b bigint unsigned, c longtext, d enum('x','y','z') DEFAULT 'x', e varchar(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, f set('p','q'));",
    );
    assert.deepEqual(p.sql, [
      "ALTER TABLE `live_x`.`t` MODIFY COLUMN `a` int NOT NULL DEFAULT '1' COMMENT 'c'",
      'ALTER TABLE `live_x`.`t` MODIFY COLUMN `b` bigint unsigned NULL',
      'ALTER TABLE `live_x`.`t` MODIFY COLUMN `c` longtext NULL',
      "ALTER TABLE `live_x`.`t` MODIFY COLUMN `d` enum('x','y','z') NULL DEFAULT 'x'",
      'ALTER TABLE `live_x`.`t` MODIFY COLUMN `e` varchar(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL',
      "ALTER TABLE `live_x`.`t` MODIFY COLUMN `f` set('p','q') NULL",
    ]);
    assert.deepEqual(p.findings, []);
  });

  it('adds a plain index, also on a column it adds', () => {
    const p = plan('CREATE TABLE t (a int, PRIMARY KEY (a));', 'CREATE TABLE t (a int, b varchar(20), PRIMARY KEY (a), KEY kb (b(10)), FULLTEXT KEY ft (b));');
    assert.deepEqual(p.sql, [
      'ALTER TABLE `live_x`.`t` ADD COLUMN `b` varchar(20) NULL AFTER `a`',
      'ALTER TABLE `live_x`.`t` ADD INDEX `kb` (`b`(10))',
      'ALTER TABLE `live_x`.`t` ADD FULLTEXT INDEX `ft` (`b`)',
    ]);
  });

  it('creates a missing table with its seed rows only', () => {
    const p = diffDatabase(target("CREATE TABLE u (a int); INSERT INTO u VALUES (1); CREATE TABLE t (a int); INSERT INTO t VALUES (2);"), live('CREATE TABLE t (a int);'), names);
    assert.deepEqual(p.steps.map((s) => s.sql), ['CREATE TABLE `live_x`.`u` (\n  `a` int NULL\n)', 'INSERT INTO u VALUES (1)']);
  });
});

describe('everything else is reported and left alone', () => {
  it('narrowings, in bytes as well as characters', () => {
    const p = plan(
      'CREATE TABLE t (a varchar(256), b bigint, c mediumtext, d varchar(100) CHARACTER SET utf8mb4) CHARSET=utf8mb4;',
      'CREATE TABLE t (a varchar(128), b int, c text, d varchar(120) CHARACTER SET utf8) CHARSET=utf8mb4;',
    );
    assert.deepEqual(p.sql, []);
    assert.deepEqual(p.findings, [
      'unsafe t.a: varchar(256) → varchar(128): narrows (1024 → 512 bytes); values longer than the new length would be truncated',
      'unsafe t.b: bigint → int: narrows the type',
      'unsafe t.c: mediumtext → text: narrows the type',
      'unsafe t.d: charset change utf8mb4 → utf8mb3: stored text would be converted',
      'unsafe t.d: varchar(100) → varchar(120): narrows (400 → 360 bytes); values longer than the new length would be truncated',
    ]);
  });

  it('NULL → NOT NULL, collation, engine, defaults, signedness, enum reordering, new unique keys, changed indexes', () => {
    const p = plan(
      "CREATE TABLE t (a int, b varchar(5) COLLATE utf8mb4_general_ci, c int DEFAULT '1', d int, e enum('x','y'), f int, KEY k (a)) ENGINE=MyISAM;",
      "CREATE TABLE t (a int NOT NULL, b varchar(5) COLLATE utf8mb4_bin, c int DEFAULT '2', d int unsigned, e enum('y','x'), f int, KEY k (a, f), UNIQUE KEY u (f)) ENGINE=InnoDB;",
    );
    assert.deepEqual(p.sql, []);
    assert.deepEqual(p.findings, [
      'unsafe t: engine change MyISAM → InnoDB',
      'unsafe t.a: NULL → NOT NULL: existing NULL values would be rejected or rewritten',
      'unsafe t.b: collation change utf8mb4_general_ci → utf8mb4_bin: changes comparisons and unique keys',
      "unsafe t.c: default change '1' → '2'",
      'unsafe t.d: int → int unsigned: signedness changes',
      "unsafe t.e: enum('x','y') → enum('y','x'): removes, renames or reorders members",
      'unsafe t#k: index differs: live KEY `k` (`a`), target KEY `k` (`a`,`f`)',
      'unsafe t#u: new unique key would reject existing duplicate rows',
    ]);
  });

  it('a rename looks like a new column plus a kept one; dropped tables and columns are kept', () => {
    const p = plan('CREATE TABLE t (a int, old_name int); CREATE TABLE gone (x int);', 'CREATE TABLE t (a int, new_name int);');
    assert.deepEqual(p.sql, ['ALTER TABLE `live_x`.`t` ADD COLUMN `new_name` int NULL AFTER `a`']);
    assert.deepEqual(p.findings, [
      'kept t.old_name: column is not in the target schema; kept with its data',
      'kept gone: table is not in the target schema; kept with its data',
    ]);
  });

  it('a NOT NULL column without a default is not added to existing rows', () => {
    const p = plan('CREATE TABLE t (a int);', 'CREATE TABLE t (a int, b int NOT NULL, KEY kb (b));');
    assert.deepEqual(p.sql, []);
    assert.deepEqual(p.findings, [
      'unsafe t.b: new NOT NULL column without a default: existing rows have no value for it',
      'unsafe t#kb: needs column b, which is not added',
    ]);
  });

  it('ignores display widths and the table of its own history', () => {
    const p = plan('CREATE TABLE t (a int(11), b tinyint(4)); CREATE TABLE tars_docker_migrations (id int);', 'CREATE TABLE t (a int, b tinyint(1));');
    assert.deepEqual(p, { sql: [], findings: [] });
  });
});
