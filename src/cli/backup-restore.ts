export { runRestore as run } from './backup.js';
