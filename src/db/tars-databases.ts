/**
 * The databases a framework master creates (REBUILD=true drops all of them on every start of the master); any of
 * them existing means the cluster is installed already.
 */
export const TARS_DATABASES = ['db_tars', 'db_tars_web', 'db_user_system', 'tars_stat', 'tars_property', 'db_cache_web'] as const;

/** The TarsWeb databases whose schema tars-docker migrates. */
export type TarsWebDatabase = 'db_tars_web' | 'db_user_system';
export const TARSWEB_DATABASES: readonly TarsWebDatabase[] = ['db_tars_web', 'db_user_system'];

/**
 * What an upgrade backs up before the master restarts, and what `backup create` copies by default: db_tars and the
 * TarsWeb databases, without the big tars_stat/tars_property history.
 */
export const BACKUP_DATABASES = ['db_tars', ...TARSWEB_DATABASES] as const;
