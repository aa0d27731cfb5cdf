export { runRemove as run } from './scale.js';
