import type { RowDataPacket } from 'mysql2/promise';
import type { DbConnection } from './connection.js';

/** What InnoDB on this server does with row formats and long index keys. */
export interface ServerInfo {
  /** VERSION(), e.g. `10.11.19-MariaDB-0+deb12u1` or `5.6.51`. */
  version: string;
  /** The row format of a table created without ROW_FORMAT: COMPACT up to MySQL 5.7.8 and MariaDB 10.2.1. */
  defaultRowFormat: string;
  /** DYNAMIC and COMPRESSED key parts may hold 3072 bytes; OFF is MySQL 5.6's default, where they hold 767. */
  largePrefix: boolean;
  /** Why ROW_FORMAT=DYNAMIC would not take effect here (the server would keep COMPACT); absent when it would. */
  dynamicBlocked?: string;
}

/** A server of today (MySQL 5.7.9+, 8.x, MariaDB 10.3+): what a pure diff assumes when nothing was read. */
export const MODERN_SERVER: ServerInfo = { version: 'unknown', defaultRowFormat: 'DYNAMIC', largePrefix: true };

const VARIABLES = ['version', 'innodb_default_row_format', 'innodb_large_prefix', 'innodb_file_format', 'innodb_file_per_table'];

export async function readServerInfo(conn: DbConnection): Promise<ServerInfo> {
  const [rows] = await conn.query<RowDataPacket[]>(
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${VARIABLES.map(() => '?').join(',')})`, VARIABLES);
  const vars: Record<string, string> = {};
  for (const row of rows) vars[String(row.Variable_name).toLowerCase()] = String(row.Value);
  return serverInfoFrom(vars);
}

const on = (value: string) => ['on', '1', 'true'].includes(value.toLowerCase());

/**
 * Variables that are gone on newer servers (innodb_large_prefix, innodb_file_format: MySQL 8.0, MariaDB 10.3)
 * mean their old ON / Barracuda behaviour is simply always there.
 */
export function serverInfoFrom(vars: Record<string, string>): ServerInfo {
  const version = vars.version ?? 'unknown';
  const info: ServerInfo = {
    version,
    defaultRowFormat: (vars.innodb_default_row_format ?? 'compact').toUpperCase(),
    largePrefix: vars.innodb_large_prefix === undefined || on(vars.innodb_large_prefix),
  };
  const fileFormat = vars.innodb_file_format;
  if (fileFormat !== undefined && fileFormat.toLowerCase() !== 'barracuda') {
    info.dynamicBlocked = `innodb_file_format=${fileFormat}`;
  } else if (vars.innodb_file_per_table !== undefined && !on(vars.innodb_file_per_table) && !systemTablespaceDynamic(version)) {
    info.dynamicBlocked = 'innodb_file_per_table=OFF';
  }
  return info;
}

/** MySQL 5.7 and MariaDB 10.2 can keep DYNAMIC tables in the system tablespace; older servers cannot. */
function systemTablespaceDynamic(version: string): boolean {
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  const mariadb = /mariadb/i.test(version);
  return mariadb ? major > 10 || (major === 10 && minor >= 2) : major > 5 || (major === 5 && minor >= 7);
}
