/** What a host runs now, as observed; absent fields mean "no container". */
export interface HostNow {
  image?: string;
  state?: string;
  restarting?: boolean;
  /** A killed restart left its NAME.old behind: the container under the name was never proven. */
  interrupted?: boolean;
}

export interface RecreateDecision {
  recreate: boolean;
  cause: string;
}

/** The one place that decides whether a host's container must be recreated to run `image`, and says why. */
export function decideRecreate(now: HostNow, image: string): RecreateDecision {
  if (!now.image) return { recreate: true, cause: 'no container' };
  if (now.image !== image) return { recreate: true, cause: `runs ${now.image}` };
  if (now.interrupted) return { recreate: true, cause: 'a restart of it was interrupted before its health gate' };
  if (now.restarting) return { recreate: true, cause: 'container keeps restarting' };
  if (now.state !== 'running') return { recreate: true, cause: `container is ${now.state ?? 'unknown'}` };
  return { recreate: false, cause: `already runs ${image}` };
}
