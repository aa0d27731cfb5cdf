export { runVerify as run } from './backup.js';
