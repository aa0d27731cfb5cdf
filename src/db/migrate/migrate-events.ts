import type { MigrateEvent } from './migrate-types.js';

/** One line per migration event, for progress and logs. */
export function describeMigrateEvent(e: MigrateEvent): string {
  switch (e.type) {
    case 'locked': return `locked ${e.databases.join(', ')}`;
    case 'backup-created': return `backup ${e.backup.id}`;
    case 'resuming': return `${e.database}: resuming ${e.steps} steps of an interrupted run`;
    case 'discarding': return discardLine(e);
    case 'step-started': return `${e.database}: ${e.step.id}`;
    case 'step-finished': return `${e.database}: done`;
  }
}

export function discardLine(e: Extract<MigrateEvent, { type: 'discarding' }>): string {
  return `${e.database}: run ${e.runId} stopped at "${e.failedStep}" (${e.error}); planning again from the live schema, giving up ${e.steps.length} steps it had not run${e.steps.length ? `: ${e.steps.join(', ')}` : ''}`;
}
