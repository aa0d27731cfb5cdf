import { dirname, join } from 'node:path';
import type { Config } from '../config/types.js';

/** tars-docker's files for one cluster (journal, backups) live beside its inventory, where every run finds them. */
export function stateDir(config: Pick<Config, 'inventoryFile'>): string {
  return join(dirname(config.inventoryFile), '.tars-docker');
}

export function journalFile(config: Pick<Config, 'inventoryFile'>): string {
  return join(stateDir(config), 'journal.jsonl');
}

export function defaultBackupDir(config: Pick<Config, 'inventoryFile'>): string {
  return join(stateDir(config), 'backups');
}
