export { collectGuardInputs, listComposeFiles, type CollectOptions } from './collect.js';
export { fixRebuild, type FixedLine, type FixResult } from './fix-rebuild.js';
export { formatFindings, location } from './format.js';
export { assertGuardClean, GuardError } from './guard-error.js';
export { runGuard } from './run-guard.js';
export type * from './types.js';
