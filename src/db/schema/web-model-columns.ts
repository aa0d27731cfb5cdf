import type { TarsWebDatabase } from '../tars-databases.js';

/**
 * Columns whose type TarsWeb's own Sequelize models decide: the web syncs its models with `alter: true` at every
 * start, over what TarsWeb's sql files create (docs/tars-contract.md §6). A change to the sql file's type would be
 * undone by the master's next start, a table rebuild each way, so the plan leaves these columns to the web.
 */
const WEB_MODEL_COLUMNS: { database: TarsWebDatabase; table: string; column: string; type: string }[] = [
  // sso/dao/db/db_user_system_models/t_token.js; db_user_system.sql says varchar(128)
  { database: 'db_user_system', table: 't_token', column: 'uid', type: 'varchar(64)' },
  // sso/dao/db/db_user_system_models/t_login_temp_info.js; db_user_system.sql says varchar(128) since TarsWeb 2.4.9
  { database: 'db_user_system', table: 't_login_temp_info', column: 'ticket', type: 'varchar(256)' },
  { database: 'db_user_system', table: 't_login_temp_info', column: 'uid', type: 'varchar(256)' },
];

/** The type TarsWeb's model gives this column at every start of the web, if a model owns it. */
export function webModelType(database: string, table: string, column: string): string | undefined {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return WEB_MODEL_COLUMNS.find((c) => c.database === database && same(c.table, table) && same(c.column, column))?.type;
}
