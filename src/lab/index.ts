export { labUp, labAddHost } from './up.js';
export { labDown } from './down.js';
export { scaleAddHostCommands, shellLine, type CommandKind } from './add-host-commands.js';
export { readLabInfra } from './infra.js';
export { writeLabConfig } from './config-files.js';
export { labConnect, verifyEndpoints } from './clients.js';
export type { EndpointKind } from './clients.js';
export { currentLabDir } from './lock.js';
export type { LabHost, LabInfra } from './types.js';
