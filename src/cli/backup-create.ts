export { runCreate as run } from './backup.js';
