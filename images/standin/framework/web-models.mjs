// The columns of TarsWeb's Sequelize models (app/dao/db/db_tars_models, sso/dao/db/db_user_system_models) whose
// sync({alter:true}) changes what TarsFramework's and TarsWeb's own sql files create. Same in every TarsWeb the
// lab's images carry (2.4.22 to 3.0.13). `ddl` is what Sequelize's changeColumn writes for the attribute.
export const WEB_MODEL_COLUMNS = [
  // TarsFramework's db_tars.sql makes it varchar(50); an IPv6 address does not fit in 16
  { database: 'db_tars', table: 't_node_info', column: 'endpoint_ip', type: 'varchar(16)', ddl: "VARCHAR(16) DEFAULT ''" },
  // TarsWeb's db_user_system.sql makes it varchar(128)
  { database: 'db_user_system', table: 't_token', column: 'uid', type: 'varchar(64)', ddl: 'VARCHAR(64)' },
];
