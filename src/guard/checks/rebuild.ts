import { TARS_DATABASES } from '../../db/tars-databases.js';
import type { Setting } from '../settings.js';
import type { Finding, FindingSource } from '../types.js';
import { rebuildIsSafe } from '../values.js';

const DATABASES = `${TARS_DATABASES.slice(0, -1).join(', ')} and ${TARS_DATABASES.at(-1)}`;

/** Every source is judged on its own: a value that is harmless today because something overrides it is one edit away. */
export function checkRebuild(settings: Setting[]): Finding[] {
  return settings
    .filter((s) => s.key === 'REBUILD' && !rebuildIsSafe(s.value))
    .map((s) => ({
      id: s.value === 'true' ? 'rebuild-true' : 'rebuild-not-false',
      // tars-node ignores REBUILD, but a `true` meant for a node is one role change or copied line away from a
      // master; other values that reach only nodes are merely untidy.
      severity: s.feeds === 'node' && s.value !== 'true' ? 'warning' : 'blocking',
      message: message(s.value, s.feeds === 'node'),
      source: s.source,
      fix: fixFor(s.source),
    }));
}

function message(value: string, nodeOnly: boolean): string {
  const shown = JSON.stringify(value);
  const scope = nodeOnly ? ' (reaches tars-node containers only)' : '';
  if (value === 'true') return `REBUILD=true would drop ${DATABASES} on every start of the master${scope}`;
  return `REBUILD=${shown} is not false: today only exact "true" drops the databases, but any value other than false or empty is refused${scope}`;
}

function fixFor(source: FindingSource): string {
  switch (source.kind) {
    case 'shell':
      return 'unset REBUILD (or export REBUILD=false) in the shell that runs tars-docker';
    case 'container':
      return 'back up the databases, then recreate this container with REBUILD=false; do not restart it as it is';
    default:
      return 'set REBUILD to false on this line (tars-docker guard --fix does it)';
  }
}
