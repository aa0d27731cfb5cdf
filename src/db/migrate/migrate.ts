/** The migration use cases the CLI calls: plan, apply (backup → apply → verify), verify, and where targets come from. */
export { planFixedMigration, planMigration } from './migrate-plan.js';
export { applyMigration } from './migrate-apply.js';
export { verifyMigration } from './migrate-verify.js';
export { readSchemaDir, readSchemaFromImage, IMAGE_SQL_DIR } from '../schema/schema-source.js';
export { renderPlan } from './plan-render.js';
export type * from './migrate-types.js';
export type { DatabasePlan, Finding, PlanStep } from './plan-types.js';
export type { PlannedDatabase, PlannedMigration } from './planned.js';
