import { dirname } from 'node:path';
import { clearEngine } from './cleanup.js';
import { engineArgs, startEngine, waitEngine } from './dockerd.js';
import { buildLayout, labFiles } from './paths.js';
import type { Tools } from './preflight.js';
import { isOurs } from './proc.js';
import { saveState } from './state.js';
import { enginePings } from './wait.js';
import type { LabState, Log } from './types.js';

const KEY = 'build.dockerd';

/**
 * The engine that builds and pushes stand-in images runs in the root namespace, where the registries'
 * address is local; it has no tcp listener because only this machine's tooling talks to it.
 */
export async function ensureBuildEngine(tools: Tools, state: LabState, log: Log): Promise<string> {
  const engine = state.build ?? buildLayout(state.dir);
  if (!state.build) {
    state.build = engine;
    saveState(state);
  }
  const rec = state.processes[KEY];
  if (rec && isOurs(rec) && (await enginePings(engine.socket))) {
    log('build: engine already up');
    return engine.socket;
  }
  const started = Date.now();
  await clearEngine(engine, [dirname(engine.dataRoot), dirname(engine.execRoot)], []);
  delete state.processes[KEY];
  state.processes[KEY] = await startEngine([tools.dockerd, ...engineArgs(engine, labFiles(state.dir).daemonJson)], engine);
  saveState(state);
  await waitEngine(state.processes[KEY], engine);
  log(`build: engine up at ${engine.socket} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return engine.socket;
}
