export { runApply as run } from './migrate.js';
