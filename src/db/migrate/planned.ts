import { createHash } from 'node:crypto';
import type { LiveDatabase } from '../schema/schema-model.js';
import type { DatabasePlan } from './plan-types.js';

/**
 * A database's migration plan fixed ahead of its run (an upgrade's prepare phase), with the fingerprint of the
 * live schema it was computed against: the run applies these steps only while the live schema is still that one.
 */
export interface PlannedDatabase extends DatabasePlan {
  against: string;
}

export interface PlannedMigration {
  version: string;
  databases: PlannedDatabase[];
}

/** Introspection lists tables, columns and indexes in a fixed order and no counters, so equal schemas hash equal. */
export function schemaFingerprint(live: LiveDatabase): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(live)).digest('hex')}`;
}
