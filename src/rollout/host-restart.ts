import type { HostConfig } from '../config/types.js';
import { tagOf } from '../cluster/observe.js';
import type { ClusterSession } from '../cluster/session.js';
import { startHost } from '../cluster/start-host.js';
import { HealthGateError } from '../cluster/wait-healthy.js';
import { composeStop } from '../docker/compose.js';
import { containerSpec } from '../cluster/container-spec.js';
import { TarsDockerError, errorMessage } from '../errors.js';
import type { PlanStep } from './plan.js';

export interface HostOutcome {
  name: string;
  outcome: 'restarted' | 'rolled-back' | 'failed';
  downtimeSeconds: number;
}

/** The rollout stopped at a host; that host was put back. Carries the log lines for the operator. */
export class RolloutError extends TarsDockerError {
  constructor(message: string, readonly host: string, readonly logLines: string[]) {
    super(message, 1, { host });
  }
}

/**
 * Stop-then-start of one host to the step's image (host networking allows nothing else), then its health gate.
 * When the gate fails, the previous image comes back and must pass the gate too; then the rollout stops.
 */
export async function restartHost(
  s: ClusterSession,
  host: HostConfig,
  step: PlanStep,
  version: string,
  healthTimeoutMs: number,
  outcomes: HostOutcome[],
): Promise<void> {
  const t0 = Date.now();
  try {
    const downtime = await startHost(s, host, version, healthTimeoutMs);
    outcomes.push({ name: host.name, outcome: 'restarted', downtimeSeconds: downtime });
  } catch (err) {
    // Whatever failed (gate, compose, engine), the old container may already be stopped: put it back.
    const reason = errorMessage(err);
    const logLines = err instanceof HealthGateError ? err.logLines : [];
    const previousTag = step.previous ? tagOf(step.previous) : undefined;
    if (!previousTag) {
      const spec = containerSpec(s.config, host, version);
      await composeStop({ host: s.conn(host), project: s.config.project, composeFile: spec.composeFile, service: spec.service, vars: spec.vars });
      outcomes.push({ name: host.name, outcome: 'failed', downtimeSeconds: 0 });
      throw new RolloutError(`${reason}; it had no previous container, the new one is stopped`, host.name, logLines);
    }
    try {
      await startHost(s, host, previousTag, healthTimeoutMs);
      outcomes.push({ name: host.name, outcome: 'rolled-back', downtimeSeconds: (Date.now() - t0) / 1000 });
    } catch (back) {
      outcomes.push({ name: host.name, outcome: 'failed', downtimeSeconds: 0 });
      throw new RolloutError(`${reason}; rolling back to ${previousTag} failed too: ${errorMessage(back)}`, host.name, logLines);
    }
    throw new RolloutError(`${reason}; rolled back to ${previousTag}, rollout stopped`, host.name, logLines);
  }
}
