export { runAdd as run } from './scale.js';
