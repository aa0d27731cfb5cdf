export { runList as run } from './backup.js';
