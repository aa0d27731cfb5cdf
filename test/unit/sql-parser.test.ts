import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.js';
import { findColumn, findTable } from '../../src/db/schema/schema-model.js';
import { parseSchemaFile } from '../../src/db/sql/sql-parser.js';

const LAB = new URL('../../images/framework/sql/', import.meta.url).pathname;
const lab = (version: string, db: string) => parseSchemaFile(readFileSync(`${LAB}${version}/${db}.sql`, 'utf8'), `${version}/${db}.sql`);

function parseError(text: string): string {
  try {
    parseSchemaFile(text, 'bad.sql');
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.context.file, 'bad.sql');
    return err.message;
  }
  assert.fail('expected a parse error');
}

describe('parseSchemaFile on the lab schema files', () => {
  it('reads db_user_system with seed rows tied to their tables', () => {
    const schema = lab('v3.0.16', 'db_user_system');
    assert.deepEqual(schema.tables.map((t) => t.name), ['t_auth', 't_login_temp_info', 't_user_info', 't_token', 't_setting']);
    assert.equal(findTable(schema, 't_auth')!.inserts.length, 1);
    assert.match(findTable(schema, 't_user_info')!.inserts[0]!, /^INSERT INTO `t_user_info` .*VALUES \(1,'admin','',now\(\)\)$/);
    const token = findTable(schema, 't_token')!;
    assert.deepEqual(findColumn(token, 'id'), { name: 'id', dataType: 'int', unsigned: true, zerofill: false, nullable: false, autoIncrement: true });
    assert.deepEqual(findColumn(token, 'token'), { name: 'token', dataType: 'varchar', length: 255, unsigned: false, zerofill: false, nullable: true, autoIncrement: false, default: { kind: 'null' } });
    assert.equal(token.engine, 'InnoDB');
    assert.equal(token.charset, 'utf8mb4');
    assert.deepEqual([token.options, token.rowFormat], [{ AUTO_INCREMENT: '1' }, 'DYNAMIC']);
    assert.deepEqual(token.indexes.map((i) => `${i.kind}:${i.name}:${i.parts.map((p) => p.column)}`), ['primary:PRIMARY:id', 'index:uid:uid', 'index:token:token']);
    const kinds = new Set(schema.statements.map((s) => s.kind));
    assert.deepEqual([...kinds].sort(), ['create-table', 'insert', 'lock-tables', 'set', 'toggle-keys', 'unlock-tables']);
  });

  it('recognises DROP TABLE IF EXISTS without turning it into anything else', () => {
    const schema = lab('v2.4.2', 'db_tars_web');
    const drops = schema.statements.filter((s) => s.kind === 'drop-table').map((s) => s.table);
    assert.deepEqual(drops, ['t_kafka_queue', 't_patch_task', 't_tars_files']);
    assert.deepEqual(schema.tables.map((t) => t.name), drops);
  });

  it('reads every column attribute of a mysqldump CREATE TABLE', () => {
    const schema = parseSchemaFile(`
      /*!40101 SET NAMES utf8 */;
      /*!40101 set global innodb_large_prefix=1 */;
      # a hash comment
      CREATE TABLE IF NOT EXISTS \`t\` (
        \`a\` bigint(20) unsigned zerofill NOT NULL AUTO_INCREMENT COMMENT '主键',
        \`b\` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT 'it''s \\\\ ok',
        \`c\` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE current_timestamp(3),
        \`d\` enum('x','y''z') NOT NULL DEFAULT 'x',
        \`e\` decimal(10,2) DEFAULT -1.5,
        \`f\` bit(1) DEFAULT b'0',
        \`g\` datetime DEFAULT now(),
        /* a block
           comment */
        \`h\` char COLLATE utf8_general_ci,
        KEY (\`b\`(8)), KEY (\`b\`, \`d\`) USING BTREE, UNIQUE (\`d\`), FULLTEXT KEY \`ft\` (\`h\`),
        PRIMARY KEY USING BTREE (\`a\`)
      ) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARACTER SET = gbk COLLATE gbk_bin COMMENT 'x表' row_format=DYNAMIC;
    `, 'attrs.sql');
    const t = schema.tables[0]!;
    const col = (name: string) => findColumn(t, name)!;
    assert.deepEqual(col('a'), { name: 'a', dataType: 'bigint', unsigned: true, zerofill: true, nullable: false, autoIncrement: true, comment: '主键' });
    assert.deepEqual(col('b'), { name: 'b', dataType: 'varchar', length: 32, unsigned: false, zerofill: false, nullable: true, autoIncrement: false, charset: 'utf8mb4', collation: 'utf8mb4_bin', default: { kind: 'literal', value: "it's \\ ok" } });
    assert.deepEqual(col('c').default, { kind: 'expr', value: 'CURRENT_TIMESTAMP(3)' });
    assert.equal(col('c').onUpdate, 'CURRENT_TIMESTAMP(3)');
    assert.deepEqual(col('c').args, ['3']);
    assert.deepEqual(col('d').values, ['x', "y'z"]);
    assert.deepEqual(col('e').default, { kind: 'literal', value: '-1.5' });
    assert.deepEqual(col('e').args, ['10', '2']);
    assert.deepEqual(col('f').default, { kind: 'bits', value: "b'0'" });
    assert.deepEqual(col('g').default, { kind: 'expr', value: 'CURRENT_TIMESTAMP' });
    assert.equal(col('h').length, 1);
    assert.equal(col('h').charset, 'utf8mb3');
    assert.deepEqual(t.indexes.map((i) => `${i.kind}:${i.name}:${i.parts.map((p) => p.column + (p.length ?? ''))}`),
      ['index:b:b8', 'index:b_2:b,d', 'unique:d:d', 'fulltext:ft:h', 'primary:PRIMARY:a']);
    assert.equal(t.charset, 'gbk');
    assert.equal(t.collation, 'gbk_bin');
    assert.equal(t.comment, 'x表');
  });
});

describe('parseSchemaFile refuses what it does not know, naming file and line', () => {
  it('an unknown statement', () => {
    assert.equal(parseError('CREATE TABLE t (a int);\n\nGRANT ALL ON *.* TO x;\n'), 'bad.sql:3: unsupported statement GRANT');
  });
  it('an unknown column type', () => {
    assert.match(parseError('CREATE TABLE t (\n  a int,\n  b varchar2(10)\n);'), /^bad\.sql:3: unknown column type "varchar2"/);
  });
  it('a trailing comma like TarsWeb v2.4.10 db_cache_web.sql', () => {
    assert.match(parseError('CREATE TABLE t (\n  a int,\n  PRIMARY KEY (a),\n) ENGINE=InnoDB;'), /^bad\.sql:4: expected a column name near "\)"/);
  });
  it('a foreign key', () => {
    assert.match(parseError('CREATE TABLE t (\n a int,\n CONSTRAINT f FOREIGN KEY (a) REFERENCES u (a)\n);'), /^bad\.sql:3: only PRIMARY KEY and UNIQUE/);
  });
  it('an unterminated string', () => {
    assert.match(parseError("SET x = 1;\nINSERT INTO t VALUES ('abc);"), /^bad\.sql:2: unterminated string/);
  });
  it('an ALTER other than the mysqldump key toggles', () => {
    assert.match(parseError('CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;'), /^bad\.sql:2: ALTER TABLE t ADD COLUMN is not supported in a schema file \(only DISABLE\/ENABLE KEYS\)/);
    assert.match(parseError('CREATE TABLE t (a int);\nALTER TABLE t DROP COLUMN a;'), /^bad\.sql:2: ALTER TABLE t DROP COLUMN is not supported/);
  });
  it('an INSERT into a table the file does not create', () => {
    assert.match(parseError('\n\nINSERT INTO u VALUES (1);'), /^bad\.sql:3: INSERT into u, which this file does not create/);
  });
  it('a partitioned table', () => {
    assert.match(parseError('CREATE TABLE t (a int)\nPARTITION BY HASH(a);'), /^bad\.sql:2: unsupported table option PARTITION/);
  });
});
