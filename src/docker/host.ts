import type { RegistryConfig } from '../config/types.js';
import type { ContainerFacts, RestartPolicy } from './containers.js';
import type { HostKeyResult } from './host-key.js';
import type { KnownImages, TarsContainer } from './tars-containers.js';
import type { ContainerImage, TarsImage } from './tars-images.js';

export interface EngineVersion {
  version: string;
  apiVersion: string;
}

export interface EngineInfo {
  /** Where the engine keeps images and containers (a path on the engine's machine). */
  rootDir: string;
  /** What the engine's daemon config lets it reach over plain http: CIDRs, and registries marked not secure. */
  insecureRegistryCidrs: string[];
  insecureIndexes: string[];
}

export interface ImageFacts {
  id: string;
  /** `repository@sha256:…` of every registry the image was pulled from. */
  repoDigests: string[];
}

/**
 * The one way from any folder to a Docker engine of one inventory host: what Tars work does there, nothing of
 * the engine API's shapes or status codes. A failed call rejects with the engine's own error unless a method
 * says otherwise; `connectHost` makes the one real one.
 */
export interface DockerHost {
  name: string;
  url: string;
  /** The env that points docker-compose at the same engine. */
  composeEnv: Record<string, string>;
  /** For ssh endpoints: the host key that was verified (and whether this connection recorded it). */
  hostKey?: HostKeyResult;
  close(): Promise<void>;

  version(): Promise<EngineVersion>;
  info(): Promise<EngineInfo>;

  /** Every Tars container on the engine, labelled or not, running or stopped, by name. */
  tarsContainers(known: KnownImages): Promise<TarsContainer[]>;
  /** Every container of the engine, running or stopped. */
  containerImages(): Promise<ContainerImage[]>;
  inspectContainer(id: string): Promise<ContainerFacts>;
  /** The container's id under `name`, or undefined. */
  containerId(name: string): Promise<string | undefined>;
  /** The container's IP addresses on its networks (none with host networking). */
  networkAddresses(id: string): Promise<string[]>;
  /** Creates (never starts) a container like `sourceId` with `image` under `name`, on all of its networks; its id. */
  createClone(sourceId: string, image: string, name: string): Promise<string>;
  /** Gives the container `name` unless it has it already. */
  rename(id: string, name: string): Promise<void>;
  setRestartPolicy(id: string, policy: RestartPolicy): Promise<void>;
  /** Starts the container unless it runs. */
  start(id: string): Promise<void>;
  /** Stops the container if it runs (or restarts), giving it its own stop timeout, else `graceSeconds`. */
  stop(id: string, graceSeconds: number): Promise<void>;
  /** Removes the container even if it runs, with its anonymous volumes when asked; one that is gone counts as removed. */
  remove(idOrName: string, opts?: { volumes?: boolean }): Promise<void>;
  /** The named volumes compose made for `project`, removed as far as the engine lets them go. */
  removeComposeVolumes(project: string): Promise<void>;
  /** The last `lines` lines the container wrote (stdout and stderr), empty lines left out. */
  logTail(id: string, lines?: number): Promise<string[]>;
  /** Runs a command in a running container: its stdout, or undefined when it fails or does not exist there. */
  execOutput(id: string, cmd: string[], timeoutMs?: number): Promise<string | undefined>;
  /** One small file out of a container (running or not); undefined when absent. */
  readContainerFile(id: string, path: string): Promise<string | undefined>;

  hasImage(ref: string): Promise<boolean>;
  inspectImage(ref: string): Promise<ImageFacts>;
  /** The engine's images with a reference in a Tars repository (only those references). */
  tarsImages(known: KnownImages): Promise<TarsImage[]>;
  /** Removes one reference of an image (never forced: an image in use stays, and the call fails). */
  removeImage(ref: string): Promise<void>;
  /**
   * Files out of an image without running it, in the order of `paths`, through a container labelled
   * tars-docker.purpose=`purpose` that is removed on every path. A path the image lacks is an InputError.
   */
  readImageFiles(image: string, paths: readonly string[], purpose: string): Promise<string[]>;
  /** Pulls `image`, telling downloaded and total bytes of all layers; any failure is a HostError naming host and image. */
  pull(image: string, registry: RegistryConfig, onBytes?: (done: number, total: number) => void): Promise<void>;
}
