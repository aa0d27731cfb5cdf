export { runPlan as run } from './migrate.js';
