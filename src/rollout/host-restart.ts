import { mysqlNow } from '../cluster/heartbeats.js';
import type { HostConfig } from '../config/types.js';
import { NEXT_SUFFIX, OLD_SUFFIX, PREVIOUS_SUFFIX } from '../cluster/discover.js';
import { tagOf } from '../cluster/observe.js';
import type { ClusterSession } from '../cluster/session.js';
import { HealthGateError, waitHealthy } from '../cluster/wait-healthy.js';
import { HostError, TarsDockerError, errorMessage } from '../errors.js';
import type { RestartSpec } from './restart-spec.js';
import type { HostOutcome } from './run-events.js';

/** The rollout stopped at a host; that host was put back. Carries the log lines for the operator. */
export class RolloutError extends TarsDockerError {
  constructor(message: string, readonly host: string, readonly logLines: string[]) {
    super(message, 1, { host });
  }
}

/** What the tests' barrier may stop at: each point is a state a SIGKILL can leave behind. */
export type RestartPoint = 'created' | 'stopped' | 'moved-aside' | 'renamed' | 'started';

/**
 * Calls a test's barrier at `point` when TARS_DOCKER_TEST_BARRIER names a directory: writes `point` there as
 * HOST.POINT and waits until the test removes it (it may SIGKILL us meanwhile). Never set outside tests.
 */
async function barrier(host: string, point: RestartPoint): Promise<void> {
  const dir = process.env.TARS_DOCKER_TEST_BARRIER;
  if (!dir) return;
  const { waitBarrier } = await import('./barrier.js');
  await waitBarrier(dir, `${host}.${point}`);
}

const STOP_GRACE_SECONDS = 30;

/**
 * Create before stop, keep the old container until the host is proven: the new container is made under NAME.next
 * while the old one runs, then the old one stops and steps aside as NAME.old (restart policy `no`, so it cannot
 * come back by itself), the new one takes NAME, starts, and must pass the gate; then NAME.old becomes NAME.previous
 * (replacing the one kept by the run before). On failure the new one goes and the old one comes back under NAME and
 * must pass the gate too; the container kept by the run before stays. Every step is idempotent, so a rerun after a kill at
 * any point finds exactly one container under NAME or NAME.next and finishes.
 */
export async function restartHost(
  s: ClusterSession,
  host: HostConfig,
  r: RestartSpec,
  healthTimeoutMs: number,
  report: (o: HostOutcome) => void,
): Promise<void> {
  const engine = s.conn(host);
  const next = r.container + NEXT_SUFFIX;
  const previous = r.container + PREVIOUS_SUFFIX;
  const old = r.container + OLD_SUFFIX;
  const t0 = Date.now();
  // `since` is read after the stop: only a heartbeat of the (re)started container can be newer
  const gate = async (id: string) => {
    const since = await mysqlNow(s.mysql);
    await engine.start(id);
    await barrier(host.name, 'started');
    await waitHealthy({ config: s.config, host, conn: s.conn(host), mysql: s.mysql, containerId: id, since, timeoutMs: healthTimeoutMs });
  };

  if ('inPlace' in r.candidate) return restartInPlace(r.candidate.inPlace.id, gate);
  let candidate: string;
  if ('clone' in r.candidate) {
    const source = r.candidate.clone;
    await engine.remove(next);
    // nothing was stopped yet: a failure here leaves the host as it was
    candidate = await engine.createClone(source.id, r.image, next).catch((err: unknown) => {
      throw new HostError(host.name, `cannot create the new container ${next} from ${source.name}'s spec: ${errorMessage(err)}`);
    });
  } else {
    candidate = r.candidate.existing.id;
    // a kept container swapped back in first steps out of NAME.previous, which the old one is about to take
    if (![r.container, next].includes(r.candidate.existing.name)) await engine.rename(candidate, next);
  }
  await barrier(host.name, 'created');
  let stoppedAt = Date.now();
  let downtime = 0;
  try {
    if (r.replace) {
      await engine.stop(r.replace.id, STOP_GRACE_SECONDS);
      stoppedAt = Date.now();
      await barrier(host.name, 'stopped');
      await engine.setRestartPolicy(r.replace.id, { Name: 'no', MaximumRetryCount: 0 });
      const stale = await engine.containerId(old);
      if (stale && stale !== r.replace.id) await engine.remove(stale);
      await engine.rename(r.replace.id, old);
      await barrier(host.name, 'moved-aside');
    }
    await engine.rename(candidate, r.container);
    await engine.setRestartPolicy(candidate, r.restartPolicy);
    await barrier(host.name, 'renamed');
    await gate(candidate);
    downtime = (Date.now() - stoppedAt) / 1000;
  } catch (err) {
    // Whatever failed (gate, engine), the old container may already be stopped and aside: put it back.
    const reason = errorMessage(err);
    const logLines = err instanceof HealthGateError ? err.logLines : [];
    if (!r.fallback) {
      // the candidate is then the host's only container: stopped, never removed
      await engine.stop(candidate, STOP_GRACE_SECONDS).catch(() => {});
      report({ name: host.name, outcome: 'failed', downtimeSeconds: 0 });
      throw new RolloutError(`${reason}; it had no previous container to go back to, ${r.container} is stopped`, host.name, logLines);
    }
    await engine.remove(candidate);
    try {
      await engine.rename(r.fallback.id, r.container);
      await engine.setRestartPolicy(r.fallback.id, r.restartPolicy);
      await gate(r.fallback.id);
      report({ name: host.name, outcome: 'rolled-back', downtimeSeconds: (Date.now() - t0) / 1000 });
    } catch (back) {
      report({ name: host.name, outcome: 'failed', downtimeSeconds: 0 });
      throw new RolloutError(`${reason}; going back to ${r.fallback.image} failed too: ${errorMessage(back)}`, host.name, logLines);
    }
    const back = tagOf(r.fallback.image) ?? r.fallback.image;
    throw new RolloutError(`${reason}; rolled back to ${back} (its previous container ${r.fallback.id.slice(0, 12)}, ${r.fallback.image}), rollout stopped`, host.name, logLines);
  }
  // proven: the replaced container becomes the one kept for rollback, and only now the one kept before goes
  if (r.fallback && r.fallback.id !== candidate) {
    const stale = await engine.containerId(previous);
    if (stale && stale !== r.fallback.id) await engine.remove(stale);
    await engine.rename(r.fallback.id, previous);
  }
  report({ name: host.name, outcome: 'restarted', downtimeSeconds: downtime });

  /** The same container stopped and started: the node fetches tarsnode from the master again, with its data. */
  async function restartInPlace(id: string, prove: (id: string) => Promise<void>): Promise<void> {
    await engine.stop(id, STOP_GRACE_SECONDS);
    const stopped = Date.now();
    await barrier(host.name, 'stopped');
    try {
      await prove(id);
    } catch (err) {
      report({ name: host.name, outcome: 'failed', downtimeSeconds: 0 });
      const logLines = err instanceof HealthGateError ? err.logLines : [];
      throw new RolloutError(`${errorMessage(err)}; it was restarted in place, there is no other container to go back to`, host.name, logLines);
    }
    report({ name: host.name, outcome: 'restarted', downtimeSeconds: (Date.now() - stopped) / 1000 });
  }
}
