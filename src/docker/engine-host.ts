import type { EngineConnection } from './engine-connection.js';
import {
  createClone, idByName, removeIfPresent, renameIfNeeded, setRestartPolicy, startIfNotRunning, stopIfRunning,
} from './container-ops.js';
import { inspectContainer, logTail, readContainerFile, readImageFiles } from './containers.js';
import { execOutput } from './exec.js';
import type { DockerHost } from './host.js';
import { hasImage, pullImage } from './pull.js';
import { listTarsContainers } from './tars-containers.js';
import { containerImages, listTarsImages } from './tars-images.js';

interface RegistryInfo {
  RegistryConfig?: { InsecureRegistryCIDRs?: string[]; IndexConfigs?: Record<string, { Secure?: boolean }> };
}

/** The DockerHost over one open engine connection: each method one job, the engine API kept in this folder. */
export function engineHost(c: EngineConnection): DockerHost {
  const { docker } = c;
  return {
    name: c.name,
    url: c.url,
    composeEnv: c.composeEnv,
    ...(c.hostKey ? { hostKey: c.hostKey } : {}),
    close: () => c.close(),

    version: async () => {
      const v = await docker.version();
      return { version: v.Version, apiVersion: v.ApiVersion };
    },
    info: async () => {
      const info = (await docker.info()) as RegistryInfo & { DockerRootDir: string };
      return {
        rootDir: info.DockerRootDir,
        insecureRegistryCidrs: info.RegistryConfig?.InsecureRegistryCIDRs ?? [],
        insecureIndexes: Object.entries(info.RegistryConfig?.IndexConfigs ?? {}).filter(([, v]) => v.Secure === false).map(([n]) => n),
      };
    },

    tarsContainers: (known) => listTarsContainers(docker, known),
    containerImages: () => containerImages(docker),
    inspectContainer: (id) => inspectContainer(docker, id),
    containerId: (name) => idByName(docker, name),
    networkAddresses: async (id) => {
      const info = await docker.getContainer(id).inspect();
      return Object.values(info.NetworkSettings.Networks ?? {}).map((n) => n.IPAddress).filter(Boolean);
    },
    createClone: (sourceId, image, name) => createClone(docker, sourceId, image, name),
    rename: (id, name) => renameIfNeeded(docker, id, name),
    setRestartPolicy: (id, policy) => setRestartPolicy(docker, id, policy),
    start: (id) => startIfNotRunning(docker, id),
    stop: (id, graceSeconds) => stopIfRunning(docker, id, graceSeconds),
    remove: (idOrName, opts = {}) => removeIfPresent(docker, idOrName, opts.volumes ?? false),
    removeComposeVolumes: async (project) => {
      const volumes = await docker.listVolumes({ filters: { label: [`com.docker.compose.project=${project}`] } });
      for (const v of volumes.Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => {});
    },
    logTail: (id, lines) => logTail(docker, id, lines),
    execOutput: (id, cmd, timeoutMs) => execOutput(docker, id, cmd, timeoutMs),
    readContainerFile: (id, path) => readContainerFile(docker, id, path),

    hasImage: (ref) => hasImage(docker, ref),
    inspectImage: async (ref) => {
      const info = await docker.getImage(ref).inspect();
      return { id: info.Id, repoDigests: info.RepoDigests ?? [] };
    },
    tarsImages: (known) => listTarsImages(docker, known),
    removeImage: async (ref) => {
      await docker.getImage(ref).remove();
    },
    readImageFiles: (image, paths, purpose) => readImageFiles(docker, image, paths, purpose),
    pull: (image, registry, onBytes) => pullImage(c, image, registry, onBytes),
  };
}
