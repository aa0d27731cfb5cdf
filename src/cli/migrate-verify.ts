export { runVerify as run } from './migrate.js';
