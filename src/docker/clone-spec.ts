import { isDeepStrictEqual } from 'node:util';
import type Docker from 'dockerode';
import { tryParseReference } from '../registry/reference.js';
import { LABEL } from './labels.js';

/** The parts of an image's config a container inherits unless it overrides them. */
export interface ImageDefaults {
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string | string[] | null;
  Labels?: Record<string, string> | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object> | null;
  Healthcheck?: unknown;
  StopSignal?: string;
}

export interface CloneSpec {
  create: Docker.ContainerCreateOptions;
  /** Networks beyond the first (the create call takes one on older engines), connected before the first start. */
  connect: { network: string; endpoint: Docker.EndpointSettings }[];
}

const HOST_LIKE = /^(host|none|container:.*)$/;

/** A value the container set itself: absent from the old image, or different from it. */
const own = <T>(value: T, fromImage: unknown): T | undefined =>
  value === undefined || value === null || value === '' || isDeepStrictEqual(value, fromImage ?? undefined) ? undefined : value;

/** Destinations in `src:dst[:opts]` bind strings. */
function bindTarget(bind: string): string {
  return bind.split(':')[1] ?? bind;
}

/**
 * Pure: the create options of a container like `old` in everything but its image (and REBUILD, which is forced to
 * false). What came from the old image (env, command, labels, ports) is left out so the new image's own defaults
 * apply, the way Watchtower and compose's convergence rebuild a container; volumes (named and anonymous) are
 * re-attached by name so no data is left behind in a fresh one.
 */
export function cloneSpec(old: Docker.ContainerInspectInfo, oldImage: ImageDefaults | undefined, image: string, name: string): CloneSpec {
  const img = oldImage ?? {};
  const imageEnv = new Set(img.Env ?? []);
  const env = (old.Config.Env ?? []).filter((e) => !imageEnv.has(e) && !e.startsWith('REBUILD='));
  env.push('REBUILD=false');
  const labels = Object.fromEntries(Object.entries(old.Config.Labels ?? {}).filter(([k, v]) => img.Labels?.[k] !== v));
  const tag = tryParseReference(image)?.tag;
  if (labels[LABEL.version] !== undefined && tag) labels[LABEL.version] = tag;

  const entrypoint = own(old.Config.Entrypoint, img.Entrypoint);
  const cmd = entrypoint !== undefined ? (old.Config.Cmd ?? undefined) : own(old.Config.Cmd, img.Cmd);
  const exposed = Object.fromEntries(Object.entries(old.Config.ExposedPorts ?? {}).filter(([p]) => !(p in (img.ExposedPorts ?? {}))));

  const hostConfig: Docker.HostConfig = { ...old.HostConfig };
  const binds = [...(old.HostConfig.Binds ?? [])];
  const mounted = new Set([...binds.map(bindTarget), ...((old.HostConfig.Mounts ?? []) as { Target?: string }[]).map((m) => m.Target)]);
  for (const m of old.Mounts ?? []) {
    if (m.Type === 'volume' && m.Name && !mounted.has(m.Destination)) binds.push(`${m.Name}:${m.Destination}${m.RW ? '' : ':ro'}`);
  }
  hostConfig.Binds = binds;
  // inspect shows legacy links as "/other:/me/alias"; create wants "other:alias"
  if (hostConfig.Links) hostConfig.Links = hostConfig.Links.map((l: string) => l.replace(/^\/([^:]+):\/[^/]+\/(.+)$/, '$1:$2'));
  delete (hostConfig as { ContainerIDFile?: string }).ContainerIDFile;

  const mode = old.HostConfig.NetworkMode ?? 'default';
  const networks = HOST_LIKE.test(mode) ? [] : Object.entries(old.NetworkSettings.Networks ?? {});
  const primaryName = mode === 'default' ? 'bridge' : mode;
  const endpoint = (e: (typeof networks)[number][1]): Docker.EndpointSettings => {
    const aliases = ((e.Aliases ?? []) as string[]).filter((a) => a !== old.Id.slice(0, 12) && a !== old.Config.Hostname);
    return {
      ...(e.IPAMConfig ? { IPAMConfig: e.IPAMConfig } : {}),
      ...(aliases.length ? { Aliases: aliases } : {}),
      ...(e.Links?.length ? { Links: e.Links } : {}),
    };
  };
  const primary = networks.find(([n, e]) => n === primaryName || e.NetworkID.startsWith(primaryName));
  const hostname = HOST_LIKE.test(mode) || old.Config.Hostname === old.Id.slice(0, 12) ? undefined : old.Config.Hostname;

  const create: Docker.ContainerCreateOptions = {
    name,
    Image: image,
    Env: env,
    Labels: labels,
    Tty: old.Config.Tty,
    OpenStdin: old.Config.OpenStdin,
    StdinOnce: old.Config.StdinOnce,
    HostConfig: hostConfig,
    ...(hostname ? { Hostname: hostname } : {}),
    ...(old.Config.Domainname ? { Domainname: old.Config.Domainname } : {}),
    ...(entrypoint !== undefined ? { Entrypoint: entrypoint } : {}),
    ...(cmd !== undefined ? { Cmd: cmd } : {}),
    ...(own(old.Config.WorkingDir, img.WorkingDir) !== undefined ? { WorkingDir: old.Config.WorkingDir } : {}),
    ...(own(old.Config.User, img.User) !== undefined ? { User: old.Config.User } : {}),
    ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
    ...(own(old.Config.Healthcheck, img.Healthcheck) !== undefined ? { Healthcheck: old.Config.Healthcheck! } : {}),
    ...(own((old.Config as { StopSignal?: string }).StopSignal, img.StopSignal) !== undefined ? { StopSignal: (old.Config as { StopSignal?: string }).StopSignal! } : {}),
    ...((old.Config as { StopTimeout?: number }).StopTimeout !== undefined ? { StopTimeout: (old.Config as { StopTimeout?: number }).StopTimeout! } : {}),
    ...(primary ? { NetworkingConfig: { EndpointsConfig: { [primary[0]]: endpoint(primary[1]) } } } : {}),
  };
  const connect = networks.filter((n) => n !== primary).map(([network, e]) => ({ network, endpoint: endpoint(e) }));
  return { create, connect };
}

/** Pure: what a clone keeps, for the plan a person reads (env names only: values may be secrets). */
export function keptSummary(old: Docker.ContainerInspectInfo, oldImage: ImageDefaults | undefined): string[] {
  const out: string[] = [];
  // inspect lists mounts in map order, different from one call to the next: the plan lists them by target
  const mounts = [...(old.Mounts ?? [])].sort((a, b) => (a.Destination < b.Destination ? -1 : a.Destination > b.Destination ? 1 : 0));
  for (const m of mounts) {
    out.push(m.Type === 'bind' ? `bind ${m.Source} -> ${m.Destination}` : `${m.Type} ${m.Name ?? m.Source} -> ${m.Destination}`);
  }
  const mode = old.HostConfig.NetworkMode ?? 'default';
  if (HOST_LIKE.test(mode)) out.push(`network ${mode}`);
  for (const [n, e] of Object.entries(old.NetworkSettings.Networks ?? {})) {
    if (HOST_LIKE.test(mode)) break;
    const ip = (e.IPAMConfig as { IPv4Address?: string } | undefined)?.IPv4Address;
    out.push(`network ${n}${ip ? ` ip ${ip}` : ''}`);
  }
  for (const [port, bindings] of Object.entries(old.HostConfig.PortBindings ?? {})) {
    for (const b of (bindings ?? []) as { HostIp?: string; HostPort?: string }[]) out.push(`port ${b.HostIp ? `${b.HostIp}:` : ''}${b.HostPort} -> ${port}`);
  }
  const restart = old.HostConfig.RestartPolicy?.Name;
  if (restart) out.push(`restart ${restart}`);
  const imageEnv = new Set(oldImage?.Env ?? []);
  const names = (old.Config.Env ?? []).filter((e) => !imageEnv.has(e)).map((e) => e.split('=')[0]!);
  if (names.length) out.push(`env ${names.join(',')}`);
  const hc = old.HostConfig;
  if (hc.LogConfig?.Type && hc.LogConfig.Type !== 'json-file') out.push(`log ${hc.LogConfig.Type}`);
  if (hc.Ulimits?.length) out.push(`ulimits ${hc.Ulimits.map((u) => u.Name).join(',')}`);
  if (hc.CapAdd?.length) out.push(`cap-add ${hc.CapAdd.join(',')}`);
  if (hc.Devices?.length) out.push(`devices ${hc.Devices.length}`);
  if (hc.ExtraHosts?.length) out.push(`extra-hosts ${hc.ExtraHosts.length}`);
  if (hc.Dns?.length) out.push(`dns ${hc.Dns.join(',')}`);
  if (hc.Memory) out.push(`memory ${hc.Memory}`);
  if (hc.NanoCpus) out.push(`cpus ${hc.NanoCpus / 1e9}`);
  return out;
}
